"""GET /api/v1/slo and /api/v1/slo/history: the objectives of monitoring/slo.yaml evaluated by one
running instance from its own counters. Traffic with known answers (good, 4xx, injected 503s,
and requests the objectives leave out) must come out as exactly that SLI, error budget and
burn rate; the objective the API cannot count (event freshness, the worker's) says so."""
from __future__ import annotations

import pytest

import harness
from checks import STUDENTS, assert_json

CHAOS = "/api/v1/admin/chaos"
AVAILABILITY_BUDGET = 0.001  # target 0.999
WINDOW_MINUTES = 30 * 24 * 60


def objectives_by_name(report: dict) -> dict[str, dict]:
    return {o["name"]: o for o in report["objectives"]}


@pytest.fixture
def traffic(start_server):
    """A fresh API that has answered a known mix of requests, and the statuses of those the
    API objectives count."""
    server = start_server()
    api, admin = server.client(), server.admin_client()
    counted: list[int] = []
    for _ in range(40):
        counted.append(api.get(STUDENTS).status_code)
    for i in range(10):
        counted.append(api.get(f"/no/such/path/{i}").status_code)  # 404: the client's, good
    rule = {"route": STUDENTS, "error_rate": 1, "error_status": 503, "duration_seconds": 60}
    counted.append(admin.put(CHAOS, json={"rules": [rule]}).status_code)
    for _ in range(5):
        counted.append(api.get(STUDENTS).status_code)
    counted.append(admin.put(CHAOS, json={"rules": []}).status_code)
    # Left out of the API objectives: probes, metrics, docs and the SLO views themselves.
    for path in ("/health/live", "/health/ready", "/metrics", "/openapi.json", "/api/v1/slo",
                 "/api/v1/slo/history", "/slo"):
        api.get(path)
    assert counted.count(503) == 5 and len(counted) == 57, counted
    yield server, api, counted
    api.close()
    admin.close()


def test_the_instance_reports_the_sli_budget_and_burn_rates_of_its_own_traffic(traffic):
    server, api, counted = traffic
    total, bad = len(counted), sum(1 for s in counted if s >= 500)

    def folded():
        report = assert_json(api.get("/api/v1/slo"), 200)
        availability = objectives_by_name(report)["api-availability"]
        return report if availability["events"]["total"] == total else None
    report = harness.poll(folded, 10, what="the counters folded into the objectives")

    assert "instance" in report["scope"] and "Prometheus" in report["scope"]
    objectives = objectives_by_name(report)
    assert list(objectives) == ["api-availability", "api-latency", "grades-availability",
                                "event-freshness"]

    availability = objectives["api-availability"]
    assert availability["visible"] is True
    assert (availability["target"], availability["window"]) == (0.999, "30d")
    assert availability["window_minutes"] == WINDOW_MINUTES
    assert availability["events"] == {"total": total, "bad": bad}
    assert availability["sli"] == pytest.approx(1 - bad / total)
    remaining = 1 - bad / (AVAILABILITY_BUDGET * total)  # far overspent: 5 of 57 failed
    budget = availability["error_budget"]
    assert budget["total_minutes"] == pytest.approx(WINDOW_MINUTES * AVAILABILITY_BUDGET)
    assert budget["remaining_fraction"] == pytest.approx(remaining)
    assert budget["remaining_minutes"] == pytest.approx(remaining * 43.2)
    for window in ("5m", "1h", "6h"):  # all of the traffic is within each window
        assert availability["burn_rates"][window] == pytest.approx(
            bad / total / AVAILABILITY_BUDGET), window
    assert 1 <= availability["observed_minutes"] <= 2

    latency = objectives["api-latency"]
    assert latency["events"]["total"] == total
    assert latency["events"]["bad"] <= 1  # loopback answers take microseconds
    grades = objectives["grades-availability"]
    assert grades["events"] == {"total": 0, "bad": 0}
    assert grades["sli"] is None
    assert grades["error_budget"]["remaining_fraction"] == 1
    assert grades["burn_rates"] == {"5m": None, "1h": None, "6h": None}

    freshness = objectives["event-freshness"]
    assert freshness["visible"] is False
    assert 'job="sre-playground-worker"' in freshness["not_visible"]
    assert all(freshness[k] is None for k in ("sli", "error_budget", "burn_rates", "events"))


def test_the_history_has_each_minute_and_the_routes_with_traffic(traffic):
    server, api, counted = traffic
    harness.poll(lambda: objectives_by_name(assert_json(api.get("/api/v1/slo"), 200))
                 ["api-availability"]["events"]["total"] == len(counted), 10,
                 what="the counters folded")
    history = assert_json(api.get("/api/v1/slo/history", params={"minutes": 5}), 200)
    assert history["step_seconds"] == 60 and len(history["times"]) == 5
    assert all(b - a == 60 for a, b in zip(history["times"], history["times"][1:]))
    assert [o["name"] for o in history["objectives"]] == ["api-availability", "api-latency",
                                                          "grades-availability"]
    availability = history["objectives"][0]
    assert len(availability["budget_remaining"]) == 5
    now = objectives_by_name(assert_json(api.get("/api/v1/slo"), 200))["api-availability"]
    assert availability["budget_remaining"][-1] == pytest.approx(
        now["error_budget"]["remaining_fraction"])
    assert availability["burn_rates"]["1h"][-1] == pytest.approx(now["burn_rates"]["1h"])

    routes = {r["route"]: r for r in history["routes"]}
    students = routes[STUDENTS]
    assert all(len(students[k]) == 5 for k in ("requests_per_second", "errors_per_second",
                                              "p99_seconds"))
    assert sum(students["requests_per_second"]) > 0
    assert sum(students["errors_per_second"]) > 0     # the five injected 503s
    assert any(p is not None and 0 < p < 0.25 for p in students["p99_seconds"])
    assert "unmatched" in routes and "/health/live" in routes
    assert sum(routes["unmatched"]["errors_per_second"]) == 0
    assert "/api/v1/students/{student_id}/grades" not in routes  # no requests: left out

    for minutes in ("0", "361", "x", "1.5"):
        answer = api.get("/api/v1/slo/history", params={"minutes": minutes})
        assert answer.status_code == 422, (minutes, answer.text)
        assert answer.json()["detail"][0]["loc"] == ["query", "minutes"]
