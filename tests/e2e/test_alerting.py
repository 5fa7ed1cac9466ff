"""Burn-rate alerting end to end: errors injected into a real API page someone, through a real
Prometheus and a real Alertmanager, and the page resolves once the errors stop.

The rules are generated from monitoring/slo.yaml with a time scale of 0.01 (`slo generate
--time-scale`: the "1h" window reads 36 s), so a fast burn fires and resolves in seconds.
Alertmanager runs the shipped monitoring/alertmanager/alertmanager.yml with only its webhook
URLs and its timers changed: routing by severity and the inhibition of tickets while a page
fires are the file's own. The webhook receiver is this test.
"""
from __future__ import annotations

import http.server
import json
import subprocess
import threading
import time

import pytest
import yaml

import harness
from test_prometheus import start_prometheus, wait_for

ALERTMANAGER = "/usr/bin/prometheus-alertmanager"
AMTOOL = "/usr/bin/amtool"
SHIPPED = harness.REPO_ROOT / "monitoring" / "alertmanager" / "alertmanager.yml"
SPEC = harness.REPO_ROOT / "monitoring" / "slo.yaml"
CHAOS = "/api/v1/admin/chaos"
ALERT = "SrePlaygroundApiAvailabilityBudgetBurn"
TIME_SCALE = "0.01"


class WebhookReceiver:
    """Records every notification Alertmanager posts, by receiver path (/page, /ticket)."""

    def __init__(self):
        self.notifications: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.notifications.append((self.path, json.loads(body)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def received(self, path: str, status: str | None = None) -> list[dict]:
        """Notifications of `path` about the API availability objective, oldest first."""
        with self.lock:
            return [body for at, body in self.notifications
                    if at == path and body["groupLabels"].get("slo") == "api-availability"
                    and (status is None or body["status"] == status)]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_the_shipped_config_routes_by_severity_and_inhibits_tickets_under_a_page():
    result = subprocess.run([AMTOOL, "check-config", str(SHIPPED)], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    config = yaml.safe_load(SHIPPED.read_text())
    routes = {route["matchers"][0]: route["receiver"] for route in config["route"]["routes"]}
    assert routes == {'severity="page"': "page", 'severity="ticket"': "ticket"}
    assert all(hook["send_resolved"] for receiver in config["receivers"]
               for hook in receiver["webhook_configs"])
    assert config["inhibit_rules"] == [{
        "source_matchers": ['severity="page"', 'slo=~".+"'],
        "target_matchers": ['severity="ticket"'],
        "equal": ["slo"]}]


def alertmanager_config(path, receiver: WebhookReceiver) -> None:
    """The shipped file with the test's webhooks and timers of a second or two."""
    config = yaml.safe_load(SHIPPED.read_text())
    for hooks in config["receivers"]:
        for hook in hooks["webhook_configs"]:
            hook["url"] = receiver.url + "/" + hooks["name"]
    config["route"].update(group_wait="1s", group_interval="1s", repeat_interval="1h")
    for route in config["route"]["routes"]:
        route.update(group_wait="1s", repeat_interval="1h")
    path.write_text(yaml.safe_dump(config))


@pytest.fixture
def alerting(tmp_path, start_server, sre_binary):
    """(api, WebhookReceiver, Prometheus process) with scaled SLO rules and Alertmanager."""
    api = start_server()
    receiver = WebhookReceiver()
    rules = tmp_path / "slo.rules.yml"
    generated = subprocess.run(
        [str(sre_binary), "slo", "generate", "--spec", str(SPEC), "--rules", str(rules),
         "--time-scale", TIME_SCALE], capture_output=True, text=True, timeout=30,
        env=harness.clean_environment())
    assert generated.returncode == 0, generated.stderr
    am_port = harness.free_port()
    am_config = tmp_path / "alertmanager.yml"
    alertmanager_config(am_config, receiver)
    alertmanager = harness.ManagedProcess(
        [ALERTMANAGER, f"--config.file={am_config}", f"--storage.path={tmp_path / 'am'}",
         f"--web.listen-address=127.0.0.1:{am_port}", "--cluster.listen-address=",
         "--log.level=warn"],
        tmp_path / "alertmanager.log", cwd=tmp_path, name="alertmanager").start()
    prom_config = (
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        f"rule_files:\n  - {rules}\n"
        "alerting:\n  alertmanagers:\n"
        f"    - static_configs:\n        - targets: ['127.0.0.1:{am_port}']\n"
        "scrape_configs:\n  - job_name: sre-playground\n    static_configs:\n"
        f"      - targets: ['{api.host}:{api.port}']\n")
    prometheus = None
    try:
        alertmanager.wait_for_url(f"http://127.0.0.1:{am_port}/-/ready", timeout=20)
        # Prometheus re-sends a firing alert every resend delay; 1 s keeps Alertmanager's view
        # fresh at this time scale.
        prometheus, client = start_prometheus(tmp_path / "prometheus", prom_config,
                                              "--rules.alert.resend-delay=1s")
        client.close()
        yield api, receiver, prometheus
    finally:
        if prometheus is not None:
            prometheus.stop(timeout=10)
        alertmanager.stop(timeout=10)
        receiver.close()


class SteadyTraffic:
    """A client listing students 20 times a second in the background, as users would."""

    def __init__(self, api):
        self.client = api.client()
        self.stopping = threading.Event()
        self.statuses: list[int] = []
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stopping.wait(0.05):
            self.statuses.append(self.client.get("/api/v1/students").status_code)

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=10)
        self.client.close()


@pytest.mark.slow
def test_a_fast_burn_pages_then_resolves_and_the_slow_burn_ticket_waits_for_it(alerting):
    api, receiver, prometheus = alerting
    admin = api.admin_client()  # the chaos route needs an admin token
    traffic = SteadyTraffic(api)
    try:
        # A few good seconds first: the rates start from a clean baseline.
        wait_for(prometheus, lambda: traffic.statuses.count(200) >= 40, "good traffic")
        rule = {"route": "/api/v1/students", "error_rate": 1, "error_status": 503,
                "duration_seconds": 120}
        assert admin.put(CHAOS, json={"rules": [rule]}).status_code == 200
        injected = time.monotonic()

        page = wait_for(prometheus, lambda: receiver.received("/page", "firing"),
                        "the page at the receiver", timeout=30)[0]
        paged_after = time.monotonic() - injected
        alert = page["alerts"][0]
        assert page["receiver"] == "page"
        assert alert["labels"]["alertname"] == ALERT
        assert alert["labels"]["severity"] == "page"
        assert alert["annotations"]["runbook_url"] == f"docs/runbooks/{ALERT}.md"
        # The slow burns fire too (their thresholds are lower), but their tickets are inhibited
        # while the page fires: none has come after a few of Alertmanager's 1 s group waits.
        time.sleep(3)
        assert receiver.received("/ticket") == []

        assert admin.put(CHAOS, json={"rules": []}).status_code == 200
        stopped = time.monotonic()
        # The short windows (5m and 30m: 3 s and 18 s here) empty of errors, so the pages
        # resolve while the long windows still remember them.
        wait_for(prometheus, lambda: receiver.received("/page", "resolved"),
                 "the page resolved", timeout=60)
        resolved_after = time.monotonic() - stopped
        # The 3x ticket's short window (2h: 72 s here) still holds the errors: now that nothing
        # pages, the ticket is sent.
        ticket = wait_for(prometheus, lambda: receiver.received("/ticket", "firing"),
                          "the ticket once the page resolved", timeout=30)[0]
        assert ticket["receiver"] == "ticket"
        assert {a["labels"]["severity"] for a in ticket["alerts"]} == {"ticket"}
        print(f"paged {paged_after:.1f} s after the errors began, resolved {resolved_after:.1f} s "
              "after they stopped (time scale 0.01)")
    finally:
        traffic.stop()
        admin.close()
