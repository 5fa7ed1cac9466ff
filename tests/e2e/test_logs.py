"""JSON log lines on stdout: startup line, access lines, sampling, redaction."""
from __future__ import annotations

import json
import signal
import subprocess
import threading
import uuid

import requests

import harness
from checks import STUDENTS, parse_rfc3339, student_path


def test_every_stdout_line_is_json(server, api):
    api.get("/")
    for line in server.process.log_text().splitlines():
        if not line.strip():
            continue
        record = json.loads(line)  # raises on a non-JSON line
        assert isinstance(record, dict), line
        for key in ("ts", "level", "msg", "service"):
            assert key in record, f"{key} missing in {line}"


def test_startup_line_has_effective_config(server):
    record = server.wait_for_log(lambda r: r.get("msg") == "starting", what='"starting" line')
    text = json.dumps(record)
    assert str(server.port) in text, record
    assert str(server.data_dir) in text, record
    assert record.get("service") == "sre-playground"


def test_access_line_for_a_request(server, api, new_student):
    student = new_student()
    request_id = "e2e-log-" + uuid.uuid4().hex
    response = api.get(student_path(student["student_id"]), headers={"X-Request-ID": request_id})
    assert response.status_code == 200
    record = server.wait_for_log(lambda r: r.get("request_id") == request_id,
                                 what=f"access line for {request_id}")
    assert record["method"] == "GET"
    assert record["route"] == "/api/v1/students/{student_id}"
    assert int(record["status"]) == 200
    assert record.get("trace_id"), record
    duration = record["duration_us"]
    assert isinstance(duration, int) and 0 <= duration < 10_000_000, record
    assert record["service"] == "sre-playground"
    assert record["level"] in ("info", "debug", "trace"), record
    parse_ts(record["ts"])
    assert student["student_id"] not in json.dumps(record.get("route")), record


def parse_ts(value):
    if isinstance(value, (int, float)):
        return value
    return parse_rfc3339(value)


def test_access_line_for_error_and_unmatched_route(server, api):
    request_id = "e2e-log-404-" + uuid.uuid4().hex
    assert api.get("/no/such/thing", headers={"X-Request-ID": request_id}).status_code == 404
    record = server.wait_for_log(lambda r: r.get("request_id") == request_id,
                                 what="access line for a 404")
    assert record["route"] == "unmatched" and int(record["status"]) == 404
    assert record["method"] == "GET"


def test_access_line_for_validation_error(server, api):
    request_id = "e2e-log-422-" + uuid.uuid4().hex
    response = api.post(STUDENTS, json={"grade": 1}, headers={"X-Request-ID": request_id})
    assert response.status_code == 422
    record = server.wait_for_log(lambda r: r.get("request_id") == request_id,
                                 what="access line for a 422")
    assert record["route"] == STUDENTS and record["method"] == "POST"
    assert int(record["status"]) == 422


def test_sample_rate_zero_drops_2xx_but_keeps_4xx(start_server):
    srv = start_server(env={"ACCESS_LOG_SAMPLE_RATE": "0", "WORKER_THREADS": "1"})
    api = srv.client()
    ok_id, bad_id = "e2e-ok-" + uuid.uuid4().hex, "e2e-bad-" + uuid.uuid4().hex
    assert api.get("/health/live", headers={"X-Request-ID": ok_id}).status_code == 200
    assert api.get("/missing", headers={"X-Request-ID": bad_id}).status_code == 404
    srv.wait_for_log(lambda r: r.get("request_id") == bad_id, what="the 404 access line")
    srv.stop()  # flushes the logger
    assert not [r for r in srv.log_records() if r.get("request_id") == ok_id], \
        "2xx access line logged with ACCESS_LOG_SAMPLE_RATE=0"


def test_log_level_error_hides_info_lines(start_server):
    srv = start_server(env={"LOG_LEVEL": "error"})
    api = srv.client()
    request_id = "e2e-quiet-" + uuid.uuid4().hex
    assert api.get("/health/live", headers={"X-Request-ID": request_id}).status_code == 200
    assert srv.stop() == 0
    records = srv.log_records()
    assert not [r for r in records if r.get("request_id") == request_id], \
        "info-level access line written at LOG_LEVEL=error"
    # Lifecycle lines may be exempt; nothing else below error.
    noisy = [r for r in records if r.get("level") in ("trace", "debug", "info")
             and r.get("msg") not in ("starting", "stopped")]
    assert not noisy, f"lines below error at LOG_LEVEL=error: {noisy[:3]}"


def test_app_name_is_the_service_field(start_server):
    srv = start_server(env={"APP_NAME": "renamed-app"})
    assert srv.client().get("/").json()["app"] == "renamed-app"
    record = srv.wait_for_log(lambda r: r.get("msg") == "starting", what="starting line")
    assert record["service"] == "renamed-app"


def test_lines_stdout_cannot_take_are_dropped_and_counted(sre_binary, tmp_path):
    """README: if stdout cannot keep up, the oldest lines are dropped and counted
    (log_messages_dropped_total) rather than slowing requests. stdout here is a pipe nobody
    reads: once it and the 16,384-line queue are full, every further access line is dropped.
    Requests keep being answered all the while, and what stdout does get is whole JSON lines."""
    settings = {"HOST": harness.LOOPBACK, "PORT": str(harness.free_port()),
                "DATA_DIR": str(tmp_path), "WORKER_THREADS": "1", "RATE_LIMIT_ENABLED": "false",
                "SHUTDOWN_DELAY_SECONDS": "0", "WEB_DIR": str(harness.REPO_ROOT / "web")}
    process = subprocess.Popen([str(sre_binary), "serve"], cwd=tmp_path,
                               env=harness.clean_environment(settings),
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    base = f"http://{harness.LOOPBACK}:{settings['PORT']}"
    stdout_lines: list[bytes] = []
    reader = threading.Thread(target=lambda: stdout_lines.extend(process.stdout))
    try:
        harness.poll(lambda: requests.get(base + "/health/live", timeout=1).ok, 20,
                     what="the server up")
        requests_sent, batch = 24_000, 200
        request = harness.raw_request("GET", "/health/live")
        with harness.RawConnection(harness.LOOPBACK, int(settings["PORT"]), timeout=10) as conn:
            for _ in range(requests_sent // batch):
                conn.send(request * batch)
                assert all(conn.read_response().status == 200 for _ in range(batch))
        text = requests.get(base + "/metrics", timeout=5).text
        dropped = harness.metric_value(text, "log_messages_dropped_total")
        # Every access line beyond the queue and the pipe's 64 KiB (a few hundred lines).
        assert dropped >= requests_sent - 16_384 - 1_000, dropped
    finally:
        reader.start()  # drain stdout, so the server can flush its last lines and exit
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=20)
        reader.join(timeout=20)
    assert code == 0
    assert len(stdout_lines) < requests_sent - dropped + 1_000, len(stdout_lines)
    for line in stdout_lines:
        json.loads(line)
