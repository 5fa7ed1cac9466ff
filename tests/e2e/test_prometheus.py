"""The monitoring side, against real processes.

- The repo's Prometheus config and rules (hand-written, and generated from monitoring/slo.yaml)
  pass ``promtool check``, and the rule unit tests (``monitoring/prometheus/tests``) pass
  ``promtool test rules``.
- Every alert has a severity, a summary, a description and a runbook that exists.
- A real Prometheus scrapes a real API: it sees the API up, its requests counted under route
  templates, the recording rules computed and the alert rules loaded and healthy; then the API
  is killed (SIGKILL) and Prometheus notices (``up`` drops to 0).
"""
from __future__ import annotations

import re
import signal
import subprocess
from pathlib import Path

import pytest

import harness
from checks import STUDENTS, student_path

PROMTOOL = "/usr/bin/promtool"
PROMETHEUS = "/usr/bin/prometheus"
MONITORING = harness.REPO_ROOT / "monitoring" / "prometheus"
CONFIG = MONITORING / "prometheus.yml"
RULES = MONITORING / "rules" / "sre-playground.rules.yml"
SLO_RULES = MONITORING / "rules" / "slo.rules.yml"  # generated: test_slo.py checks it is current
RULE_FILES = (RULES, SLO_RULES)
RULE_TESTS = (MONITORING / "tests" / "sre-playground.rules.test.yml",
              MONITORING / "tests" / "slo.rules.test.yml")
RUNBOOKS = harness.REPO_ROOT / "docs" / "runbooks"
JOB = "sre-playground"
EXPECTED_ALERTS = {
    "SrePlaygroundDown": "page",
    "SrePlaygroundHighLatency": "ticket",
    "SrePlaygroundLogsDropped": "ticket",
    "SrePlaygroundCircuitBreakerOpen": "page",
    "SrePlaygroundLoadShedding": "page",
    "SrePlaygroundFdExhaustion": "ticket",
    "SrePlaygroundDatabaseUnavailable": "page",
    "SrePlaygroundDatabasePoolExhausted": "ticket",
    "SrePlaygroundRedisUnavailable": "ticket",
    "SrePlaygroundRateLimitFallback": "ticket",
    "SrePlaygroundRateLimitEvictions": "ticket",
    "SrePlaygroundOutboxStale": "page",
    "SrePlaygroundWorkerStalled": "page",
    "SrePlaygroundTokensRefused": "page",
}
# The burn-rate alerts of the objectives: four rules each, two paging and two ticketing.
EXPECTED_SLO_ALERTS = {
    "SrePlaygroundApiAvailabilityBudgetBurn": "api-availability",
    "SrePlaygroundApiLatencyBudgetBurn": "api-latency",
    "SrePlaygroundGradesAvailabilityBudgetBurn": "grades-availability",
    "SrePlaygroundEventFreshnessBudgetBurn": "event-freshness",
}
SLO_WINDOWS = ("5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d")
EXPECTED_RECORDINGS = {
    "job:http_requests:rate5m",
    "job:http_requests_5xx:rate5m",
    "job:http_requests_5xx_per_requests:ratio_rate5m",
    "job_route:http_request_duration_seconds:p99_rate5m",
} | {f"job_slo:sli_errors_per_events:ratio_rate{window}" for window in SLO_WINDOWS}


def promtool(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    # The SLO rule tests evaluate a day of rules: tens of seconds on a busy machine.
    return subprocess.run([PROMTOOL, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=240)


def assert_ok(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, f"{result.args}\n{result.stdout}{result.stderr}"


def scrape_config(target: str, interval: str = "1s") -> str:
    """A Prometheus config scraping one sre-playground target with the repo's rules."""
    return (
        "global:\n"
        f"  scrape_interval: {interval}\n"
        f"  evaluation_interval: {interval}\n"
        "rule_files:\n"
        + "".join(f"  - {rules}\n" for rules in RULE_FILES) +
        "scrape_configs:\n"
        f"  - job_name: {JOB}\n"
        "    static_configs:\n"
        f"      - targets: ['{target}']\n")


# --------------------------------------------------------------------------------------------
# Static checks


def test_repo_config_passes_promtool():
    # Relative rule_files paths are resolved against the config's directory, whatever the cwd.
    result = promtool("check", "config", CONFIG, cwd=harness.REPO_ROOT)
    assert_ok(result)
    assert "2 rule files found" in result.stdout + result.stderr


def test_generated_config_passes_promtool(tmp_path):
    config = tmp_path / "prometheus.yml"
    config.write_text(scrape_config(f"127.0.0.1:{harness.free_port()}"))
    assert_ok(promtool("check", "config", config))


def test_rules_pass_promtool_check():
    result = promtool("check", "rules", RULES)
    assert_ok(result)
    rule_count = len(EXPECTED_ALERTS) + 4  # 4 recording rules
    assert f"SUCCESS: {rule_count} rules found" in result.stdout
    result = promtool("check", "rules", SLO_RULES)
    assert_ok(result)
    # per objective: the error ratio over 8 windows, and 4 burn-rate alerts
    assert f"SUCCESS: {len(EXPECTED_SLO_ALERTS) * (8 + 4)} rules found" in result.stdout


@pytest.mark.parametrize("tests", RULE_TESTS, ids=lambda path: path.name)
def test_rule_unit_tests_pass(tests):
    # Run from the test file's directory: its rule_files path is relative to it.
    result = promtool("test", "rules", tests.name, cwd=tests.parent)
    assert_ok(result)
    assert "SUCCESS" in result.stdout


def test_every_alert_has_its_runbook():
    text = "".join(rules.read_text() for rules in RULE_FILES)
    alerts = set(re.findall(r"^\s*- alert:\s*(\S+)\s*$", text, re.MULTILINE))
    assert alerts == set(EXPECTED_ALERTS) | set(EXPECTED_SLO_ALERTS)
    tested = "".join(tests.read_text() for tests in RULE_TESTS)
    for alert in alerts:
        assert f"runbook_url: docs/runbooks/{alert}.md" in text, alert
        runbook = RUNBOOKS / f"{alert}.md"
        assert runbook.is_file(), runbook
        assert runbook.read_text().startswith(f"# {alert}"), runbook
        assert f"alertname: {alert}" in tested, f"no promtool test for {alert}"
    # the hand-written error-ratio alert was replaced by the availability objective's alerts
    assert not (RUNBOOKS / "SrePlaygroundHighErrorRate.md").exists()


# --------------------------------------------------------------------------------------------
# A real Prometheus scraping a real API


@pytest.fixture
def prometheus(tmp_path, start_server):
    """(api server, ApiClient for Prometheus, Prometheus ManagedProcess)"""
    api = start_server()
    process, client = start_prometheus(tmp_path / "prometheus",
                                       scrape_config(f"{api.host}:{api.port}"))
    try:
        yield api, client, process
    finally:
        client.close()
        process.stop(timeout=10)


def start_prometheus(workdir: Path, config_text: str,
                     *flags: str) -> tuple[harness.ManagedProcess, harness.ApiClient]:
    """A real Prometheus on a free loopback port with `config_text` (checked by promtool
    first), its config, data and log under `workdir`; returns once it is ready. The caller
    closes the client and stops the process."""
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "prometheus.yml"
    config.write_text(config_text)
    assert_ok(promtool("check", "config", config))
    port = harness.free_port()
    process = harness.ManagedProcess(
        [PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={workdir / 'tsdb'}",
         f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn", *flags],
        workdir / "prometheus.log", cwd=workdir, name="prometheus").start()
    client = harness.ApiClient(f"http://127.0.0.1:{port}", timeout=5)
    try:
        process.wait_for_url(client.url("/-/ready"), timeout=20)
    except BaseException:
        client.close()
        process.stop(timeout=5)
        raise
    return process, client


def query(client: harness.ApiClient, expr: str) -> list[dict]:
    response = client.get("/api/v1/query", params={"query": expr})
    assert response.status_code == 200, f"{expr}: {response.status_code} {response.text}"
    body = response.json()
    assert body["status"] == "success", body
    return body["data"]["result"]


def values(client: harness.ApiClient, expr: str) -> list[float]:
    return [float(sample["value"][1]) for sample in query(client, expr)]


def wait_for(process: harness.ManagedProcess, predicate, what: str, timeout: float = 15.0):
    """Polls predicate (Prometheus must stay up); on timeout, fails with Prometheus' log."""
    try:
        return harness.poll(predicate, timeout, interval=0.25, what=what)
    except TimeoutError as error:
        pytest.fail(f"{error}\n--- prometheus log ---\n{process.log_tail()}", pytrace=False)


@pytest.mark.slow
def test_prometheus_scrapes_the_api_and_notices_it_die(prometheus):
    api, prom, prom_process = prometheus
    client = api.client()
    created = client.post(STUDENTS, json={"first_name": "Prom", "last_name": "Etheus", "grade": 4})
    assert created.status_code == 201, created.text
    student_id = created.json()["student_id"]
    assert client.get(student_path(student_id)).status_code == 200
    assert client.get("/no/such/path").status_code == 404
    assert client.post(STUDENTS, json={}).status_code == 422
    client.close()

    selector = f'job="{JOB}"'

    def scraped():
        return (values(prom, f"up{{{selector}}}") == [1.0]
                and values(prom, f"sum(http_requests_total{{{selector}}})")[0] > 0
                and query(prom, f'http_requests_total{{{selector},method="GET",status="200",'
                                f'route="/api/v1/students/{{student_id}}"}}'))
    wait_for(prom_process, scraped, "up == 1 and the student GET counted under its template")

    series = [s["metric"] for s in query(prom, f"http_requests_total{{{selector}}}")]
    routes = {m["route"] for m in series}
    assert not any(student_id in route for route in routes), routes  # template, not raw path
    labels = {(m["method"], m["route"], m["status"]) for m in series}
    assert ("GET", "unmatched", "404") in labels, labels
    assert ("POST", STUDENTS, "422") in labels, labels
    assert ("POST", STUDENTS, "201") in labels, labels

    # Recording rules on real data: traffic is seen, and 404/422 are not server errors.
    wait_for(prom_process,
             lambda: values(prom, f"job:http_requests:rate5m{{{selector}}}")[0] > 0,
             "job:http_requests:rate5m > 0")
    wait_for(prom_process,
             lambda: values(prom,
                            f"job:http_requests_5xx_per_requests:ratio_rate5m{{{selector}}}")
             == [0.0], "error ratio recorded as 0")
    wait_for(prom_process,
             lambda: query(prom, f'job_route:http_request_duration_seconds:p99_rate5m'
                                 f'{{{selector},route="/api/v1/students/{{student_id}}"}}'),
             "p99 of the student GET route recorded")

    # Every rule loaded; each evaluated without error (health "unknown" until first evaluated).
    def rules_healthy():
        groups = prom.get("/api/v1/rules").json()["data"]["groups"]
        rules = {rule["name"]: rule for group in groups for rule in group["rules"]}
        if any(rule["health"] != "ok" for rule in rules.values()):
            return None
        return rules
    wait_for(prom_process, rules_healthy, "every rule evaluated with health ok")
    # (by name, the SLO alerts' four rules each collapse into one: list them all here)
    groups = prom.get("/api/v1/rules").json()["data"]["groups"]
    all_rules = [rule for group in groups for rule in group["rules"]]
    alerts = [rule for rule in all_rules if rule["type"] == "alerting"]
    recordings = {rule["name"] for rule in all_rules if rule["type"] == "recording"}
    assert {rule["name"] for rule in alerts} == set(EXPECTED_ALERTS) | set(EXPECTED_SLO_ALERTS)
    assert recordings == EXPECTED_RECORDINGS
    for rule in alerts:
        name = rule["name"]
        if name in EXPECTED_SLO_ALERTS:
            assert rule["labels"]["severity"] in ("page", "ticket"), name
            assert rule["labels"]["slo"] == EXPECTED_SLO_ALERTS[name], name
        else:
            assert rule["labels"]["severity"] == EXPECTED_ALERTS[name], name
        assert {"summary", "description", "runbook_url"} <= set(rule["annotations"]), name
        assert rule["annotations"]["runbook_url"] == f"docs/runbooks/{name}.md"
        # Quiet on a healthy service (a slow fsync may make the latency rule pending, never
        # firing: it needs 10 minutes). Not the latency objective's: with four requests, one
        # slow fsync on this shared machine is 25% of them, a burn rate of 25x.
        if name != "SrePlaygroundApiLatencyBudgetBurn":
            assert rule["state"] != "firing", (name, rule.get("alerts"))

    # The API dies without a goodbye: the next scrape fails and up drops to 0.
    api.process.send_signal(signal.SIGKILL)
    api.process.wait(timeout=5)
    wait_for(prom_process, lambda: values(prom, f"up{{{selector}}}") == [0.0],
             "up == 0 after SIGKILL of the API")
    # ... and SrePlaygroundDown starts its 1-minute "for" (pending; it would page after that).
    wait_for(prom_process,
             lambda: query(prom, 'ALERTS{alertname="SrePlaygroundDown",alertstate="pending",'
                                 f'{selector},severity="page"}}'),
             "SrePlaygroundDown pending")
    assert prom_process.is_running()
