"""The monitoring side, against real processes: the repo's Prometheus rules pass promtool, and
a real Prometheus scrapes a real API, sees its route-templated series, loads the alert rules,
and notices when the API dies."""
import signal
import subprocess
from pathlib import Path

import pytest

import harness

PROMTOOL = "/usr/bin/promtool"
PROMETHEUS = "/usr/bin/prometheus"
MONITORING = harness.REPO_ROOT / "monitoring" / "prometheus"
RULES = MONITORING / "rules" / "sre-playground.rules.yml"
EXPECTED_ALERTS = {"SrePlaygroundDown", "SrePlaygroundHighErrorRate", "SrePlaygroundHighLatency",
                   "SrePlaygroundLogsDropped", "SrePlaygroundFdExhaustion"}


def promtool(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([PROMTOOL, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_repo_config_and_rules_pass_promtool():
    checked = promtool("check", "config", str(MONITORING / "prometheus.yml"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    rules = promtool("check", "rules", str(RULES))
    assert rules.returncode == 0, rules.stdout + rules.stderr


def test_alert_rules_unit_tests_pass():
    result = promtool("test", "rules", "sre-playground.rules.test.yml", cwd=MONITORING / "tests")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_every_alert_has_a_runbook():
    text = RULES.read_text()
    for alert in EXPECTED_ALERTS:
        assert f"alert: {alert}" in text
        runbook = harness.REPO_ROOT / "docs" / "runbooks" / f"{alert}.md"
        assert runbook.is_file(), runbook
        assert f"runbook_url: docs/runbooks/{alert}.md" in text


@pytest.fixture
def prometheus(tmp_path, start_server):
    api = start_server()
    port = harness.free_port()
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        f"rule_files:\n  - {RULES}\n"
        "scrape_configs:\n  - job_name: sre-playground\n    static_configs:\n"
        f"      - targets: ['127.0.0.1:{api.port}']\n")
    process = harness.ManagedProcess(
        [PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'tsdb'}",
         f"--web.listen-address=127.0.0.1:{port}"],
        tmp_path / "prometheus.log", name="prometheus").start()
    client = harness.ApiClient(f"http://127.0.0.1:{port}")
    try:
        process.wait_for_url(client.url("/-/ready"), timeout=30)
        yield api, client
    finally:
        process.stop(timeout=10)


def query(client: harness.ApiClient, expr: str) -> list[dict]:
    response = client.get("/api/v1/query", params={"query": expr})
    assert response.status_code == 200, response.text
    return response.json()["data"]["result"]


def test_prometheus_scrapes_the_api_and_sees_it_die(prometheus):
    api, client = prometheus
    api_client = api.client()
    created = api_client.post("/api/v1/students",
                              json={"first_name": "Prom", "last_name": "Etheus", "grade": 4})
    assert created.status_code == 201
    assert api_client.get(f"/api/v1/students/{created.json()['student_id']}").status_code == 200
    assert api_client.get("/no/such/path").status_code == 404
    assert api_client.post("/api/v1/students", json={}).status_code == 422

    def scraped_student_get():
        series = query(client, 'http_requests_total{job="sre-playground",method="GET",status="200"}')
        return [s for s in series if s["metric"]["route"] == "/api/v1/students/{student_id}"]

    harness.poll(scraped_student_get, timeout=15, what="student GET series in Prometheus")
    up = query(client, 'up{job="sre-playground"}')
    assert [s["value"][1] for s in up] == ["1"]
    routes = {s["metric"]["route"] for s in query(client, "http_requests_total")}
    assert "unmatched" in routes
    assert not any(route.startswith("/api/v1/students/STU-") for route in routes), routes

    rules = client.get("/api/v1/rules").json()["data"]["groups"]
    loaded = {r["name"]: r["health"] for g in rules for r in g["rules"] if r["type"] == "alerting"}
    assert set(loaded) == EXPECTED_ALERTS
    assert set(loaded.values()) == {"ok"}, loaded

    api.process.send_signal(signal.SIGKILL)
    harness.poll(lambda: [s for s in query(client, 'up{job="sre-playground"}')
                          if s["value"][1] == "0"], timeout=15, what="up == 0 after SIGKILL")
