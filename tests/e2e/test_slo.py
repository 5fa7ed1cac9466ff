"""The service level objectives (monitoring/slo.yaml) and what is generated from them.

- The committed rules file is exactly what ``sre-playground slo generate`` writes from
  slo.yaml (edit the YAML, run ``make slo``, commit both); an invalid spec exits 1 and says why.
- The SLO dashboard (monitoring/grafana/dashboards/slo.json) has a row per objective of
  slo.yaml, with its target and error budget, and reads only the recorded SLO series.
- On real data: a real Prometheus scrapes a real API and a real worker with the generated
  rules, and every objective's SLI is recorded from the metrics the processes really export:
  the availability ratio counts injected 503s and not health probes, the latency ratio finds the
  250 ms bucket, grades answered from the empty fallback are errors, the worker's lag is seen.
  Every query of every dashboard panel is valid and returns data.
(promtool checks and tests of the generated rules: test_prometheus.py.)
"""
from __future__ import annotations

import json
import math
import re
import subprocess

import pytest
import yaml

import harness
from test_prometheus import (RULE_FILES, SLO_RULES, query, start_prometheus,
                             wait_for)

SPEC = harness.REPO_ROOT / "monitoring" / "slo.yaml"
DASHBOARD = harness.REPO_ROOT / "monitoring" / "grafana" / "dashboards" / "slo.json"
CHAOS = "/api/v1/admin/chaos"
RECORD = "job_slo:sli_errors_per_events:ratio_rate"
RATIO_5M = RECORD + "5m"
ALERT_WINDOWS = ("5m", "30m", "1h", "2h", "6h", "1d", "3d")


def generate(binary, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(binary), "slo", "generate", *args], capture_output=True, text=True,
                          timeout=30, env=harness.clean_environment())


def test_committed_rules_are_what_the_generator_writes(sre_binary, tmp_path):
    written = tmp_path / "slo.rules.yml"
    result = generate(sre_binary, "--spec", str(SPEC), "--rules", str(written))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote {written}\n"
    assert written.read_text() == SLO_RULES.read_text(), (
        "monitoring/prometheus/rules/slo.rules.yml is not what monitoring/slo.yaml generates: "
        "run `make slo` and commit the result")


def test_an_invalid_spec_exits_1_and_says_why(sre_binary, tmp_path):
    spec = tmp_path / "slo.yaml"
    spec.write_text(SPEC.read_text().replace("target: 0.999", "target: 99.9"))
    written = tmp_path / "slo.rules.yml"
    result = generate(sre_binary, "--spec", str(spec), "--rules", str(written))
    assert result.returncode == 1
    assert result.stderr == (
        f"sre-playground slo generate: {spec}: objectives[0] (api-availability): `target` must "
        "be a fraction between 0 and 1 exclusive, not 99.9\n")
    assert not written.exists()
    missing = generate(sre_binary, "--spec", str(tmp_path / "absent.yaml"), "--rules", str(written))
    assert missing.returncode == 1
    assert "cannot read" in missing.stderr


def dashboard_queries(dashboard: dict) -> list[str]:
    """Every PromQL expression of the dashboard: panel targets and annotations."""
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]
    exprs += [a["expr"] for a in dashboard["annotations"]["list"] if "expr" in a]
    return exprs


def number(value: float) -> str:
    return f"{value:.10g}"


def test_the_slo_dashboard_follows_the_objectives():
    objectives = yaml.safe_load(SPEC.read_text())["objectives"]
    dashboard = json.loads(DASHBOARD.read_text())
    rows = [panel for panel in dashboard["panels"] if panel["type"] == "row"]
    assert [row["title"] for row in rows] == [
        f"{o['title']}: {number(float(o['target']) * 100)}% over {o['window']}" for o in objectives]
    panels = [panel for panel in dashboard["panels"] if panel["type"] != "row"]
    for objective in objectives:
        slo = f'{{slo="{objective["name"]}"}}'
        budget = number(1 - float(objective["target"]))
        window = objective["window"]
        exprs = {target["expr"] for panel in panels for target in panel["targets"]
                 if slo in target["expr"]}
        assert exprs == {
            f"1 - {RECORD}{window}{slo}",                  # the SLI over the objective's window
            f"1 - {RECORD}{window}{slo} / {budget}",       # the error budget remaining
        } | {f"{RECORD}{w}{slo} / {budget}" for w in ALERT_WINDOWS}, objective["name"]  # burn rates
    # nothing else: every query reads the recorded series of an objective of slo.yaml
    names = {o["name"] for o in objectives}
    for expr in dashboard_queries(dashboard):
        used = set(re.findall(r'slo="([^"]+)"', expr))
        assert used <= names, expr
    for panel in panels:
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]


@pytest.fixture
def api_and_prometheus(tmp_path, start_server):
    """(api server, ApiClient for Prometheus, Prometheus ManagedProcess), and a worker applying
    the API's events. The API's grade service URL points at a port nobody listens on, so every
    grade answer is the fallback."""
    api = start_server(env={"GRADE_SERVICE_URL": f"http://127.0.0.1:{harness.free_port()}"})
    worker = harness.start_worker(tmp_path / "worker", env={"DATA_DIR": str(api.data_dir)})
    process, client = start_prometheus(
        tmp_path / "prometheus",
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n"
        + "".join(f"  - {rules}\n" for rules in RULE_FILES) +
        "scrape_configs:\n"
        f"  - job_name: sre-playground\n    static_configs:\n"
        f"      - targets: ['{api.host}:{api.port}']\n"
        f"  - job_name: sre-playground-worker\n    static_configs:\n"
        f"      - targets: ['{worker.host}:{worker.port}']\n")
    try:
        yield api, client, process
    finally:
        client.close()
        process.stop(timeout=10)
        worker.stop()


@pytest.mark.slow
def test_every_sli_is_recorded_from_the_real_metrics(api_and_prometheus):
    api, prom, prom_process = api_and_prometheus
    client = api.admin_client()  # the chaos rules need an admin token

    def traffic():
        for _ in range(20):
            assert client.get("/api/v1/students").status_code == 200
        assert client.get("/no/such/path").status_code == 404  # a client's mistake: good
        # 503s injected on the students list: 5 errors among the API's requests
        rule = {"route": "/api/v1/students", "error_rate": 1, "error_status": 503,
                "duration_seconds": 60}
        assert client.put(CHAOS, json={"rules": [rule]}).status_code == 200
        for _ in range(5):
            assert client.get("/api/v1/students").status_code == 503
        assert client.put(CHAOS, json={"rules": []}).status_code == 200
        for _ in range(3):
            grades = client.get("/api/v1/students/STU-1/grades")
            assert grades.status_code == 200 and grades.json()["grades"] == [], grades.text
        # two writes: two events for the worker
        for name in ("Slo", "Budget"):
            created = client.post("/api/v1/students",
                                  json={"first_name": name, "last_name": "Burn", "grade": 5})
            assert created.status_code == 201, created.text

    # rate() sees only growth between two samples. The API exports a request series from its
    # first request on, and a loaded machine can fail a 1 s scrape of the worker: the traffic
    # runs once, both processes are seen with its counts, it runs again and is seen again.
    applied = 'worker_event_lag_seconds_count{job="sre-playground-worker"}'
    traffic()
    wait_for(prom_process,
             lambda: query(prom, 'http_requests_total{job="sre-playground", status="503"} == 5')
             and query(prom, f"{applied} == 2"),
             "the first 503s and the worker's first two events scraped")
    traffic()
    client.close()
    wait_for(prom_process, lambda: query(prom, f"{applied} == 4"),
             "the worker's four events scraped")

    def ratios():
        samples = query(prom, RATIO_5M)
        found = {s["metric"]["slo"]: float(s["value"][1]) for s in samples}
        return found if len(found) == 4 else None
    wait_for(prom_process,
             lambda: (r := ratios()) and r["api-availability"] > 0 and r["grades-availability"] > 0
             and r,
             "the four SLIs recorded, with the injected errors counted")
    # Once every request is scraped the ratios settle; read them then.
    # Freshness is NaN (0/0) until a scrape has seen the worker's lag histogram grow: wait for
    # a number, then check it.
    def settled():
        r = ratios()
        # raised rather than returned: a timeout then names the ratios last seen
        assert r and r["grades-availability"] == 1.0 and not math.isnan(r["event-freshness"]), r
        return r
    found = wait_for(prom_process, settled,
                     "every grade answer counted as an error, and the worker's events counted")
    # 5 of about 30 API requests (20 + 404 + 5 + 2 admin PUTs + 3 grades + 2 POSTs; not the scrapes of
    # /metrics, which outnumber them by now): about 0.18, give or take Prometheus' extrapolation.
    assert 0.1 < found["api-availability"] < 0.3, found
    # Local requests are answered well within 250 ms: the good bucket is found (a selector
    # that matched nothing would make every request slow, a ratio of 1).
    assert 0 <= found["api-latency"] < 0.5, found
    # The worker applies the events within a second or so of the writes: none is late.
    assert found["event-freshness"] == 0, found
    # Every window is recorded for every objective.
    windows = {s["metric"]["__name__"].rsplit("ratio_rate", 1)[1]
               for s in query(prom, '{__name__=~"job_slo:sli_errors_per_events:ratio_rate.+"}')}
    assert windows == {"5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"}

    # Every query of the SLO dashboard is valid and has data now (its one variable is the
    # data source; the annotation's ALERTS may be empty: nothing fires on budget here).
    dashboard = json.loads(DASHBOARD.read_text())
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            assert query(prom, target["expr"]), (panel["title"], target["expr"])
    for annotation in dashboard["annotations"]["list"]:
        query(prom, annotation["expr"])  # valid (query() asserts a success status)
