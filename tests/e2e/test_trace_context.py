"""W3C trace context through real processes: the API joins the caller's trace (or starts one),
answers every response with its own span in `traceparent`, passes the trace on to the grade
service with a new span, and both processes' log lines carry the trace id and their own span
id, so one request can be followed across them by its trace id."""
from __future__ import annotations

import json
import re

import harness
from test_grades import GRADES, api_for, grade_service  # noqa: F401 - fixtures

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"
TRACEPARENT_RE = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


def traceparent_of(response) -> tuple[str, str, str]:
    match = TRACEPARENT_RE.match(response.headers["traceparent"])
    assert match, response.headers["traceparent"]
    return match.groups()


def access_lines(log_text: str, trace_id: str) -> list[dict]:
    """The access lines ("request") of `trace_id` in a process's JSON log."""
    records = [json.loads(line) for line in log_text.splitlines() if line.startswith("{")]
    return [r for r in records if r.get("msg") == "request" and r.get("trace_id") == trace_id]


def test_one_request_is_followed_across_both_processes_logs(api_for, grade_service):
    server, client = api_for()
    answer = client.get(GRADES.format("STU-123"), headers={
        "traceparent": f"00-{TRACE}-{CALLER_SPAN}-01", "tracestate": "rojo=00f067aa0ba902b7",
        "X-Request-ID": "trace-me-1"})
    assert answer.status_code == 200 and answer.json()["cached"] is False, answer.text
    trace_id, api_span, flags = traceparent_of(answer)
    assert (trace_id, flags) == (TRACE, "01")
    assert api_span != CALLER_SPAN

    (api_line,) = harness.poll(lambda: access_lines(server.process.log_text(), TRACE), 5,
                               what="the API's access line of the trace")
    assert api_line["span_id"] == api_span
    assert api_line["request_id"] == "trace-me-1"

    (downstream,) = harness.poll(lambda: access_lines(grade_service.process.log_text(), TRACE), 5,
                                 what="the grade service's access line of the same trace")
    assert downstream["request_id"] == "trace-me-1"
    assert re.fullmatch(r"[0-9a-f]{16}", downstream["span_id"])
    assert downstream["span_id"] not in (api_span, CALLER_SPAN)  # the call's own span


def test_every_response_carries_a_traceparent_and_starts_a_trace_when_needed(server):
    client = server.client()
    seen = set()
    for answer in (client.get("/health/live"), client.get("/no/such/path"),
                   client.get("/api/v1/students", headers={
                       "traceparent": f"00-{'0' * 32}-{CALLER_SPAN}-01"}),   # invalid: ignored
                   client.get("/api/v1/students", headers={
                       "traceparent": f"ff-{TRACE}-{CALLER_SPAN}-01"})):    # version ff: ignored
        trace_id, span, flags = traceparent_of(answer)
        assert trace_id != "0" * 32 and trace_id != TRACE and flags == "00"
        seen.add(trace_id)
    assert len(seen) == 4  # a new trace each time
    # Answered by the server itself, before any handler.
    with server.raw() as connection:
        connection.send(harness.raw_request(
            "POST", "/api/v1/students",
            [("Content-Type", "application/json"), ("Content-Length", str(10 * 1024 * 1024)),
             ("traceparent", f"00-{TRACE}-{CALLER_SPAN}-01")]))
        rejected = connection.read_response(timeout=5)
    assert rejected.status == 413
    # Refused before its headers were taken in: a trace of its own.
    assert TRACEPARENT_RE.match(rejected.header("traceparent", "")), rejected.headers
