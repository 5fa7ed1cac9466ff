"""Connection exhaustion: the open-file limit, silent connections, connections per client."""
from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest

import harness


def test_soft_open_file_limit_is_raised_to_the_hard_limit(start_server):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard <= 256:
        pytest.skip(f"hard open-file limit {hard} leaves nothing to raise")
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))  # the child inherits 256
    try:
        srv = start_server()
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    limits = Path(f"/proc/{srv.process.pid}/limits").read_text()
    line = next(line for line in limits.splitlines() if line.startswith("Max open files"))
    assert line.split()[3:5] == [str(hard), str(hard)], line
    record = srv.wait_for_log(lambda r: r.get("msg") == "raised the open-file limit",
                              what="the raised-limit line")
    assert (record["from"], record["to"]) == (256, hard), record


@pytest.mark.slow
def test_a_connection_that_never_sends_a_byte_is_closed_at_the_request_timeout(start_server):
    srv = start_server(env={"REQUEST_TIMEOUT_SECONDS": "1", "IDLE_TIMEOUT_SECONDS": "60"})
    with srv.raw(timeout=10) as conn:
        start = time.monotonic()
        closed = conn.wait_closed(timeout=6)
        elapsed = time.monotonic() - start
    assert closed, "a silent new connection was kept beyond REQUEST_TIMEOUT_SECONDS"
    assert 0.8 <= elapsed < 4, f"closed after {elapsed:.2f}s"
    # Once a request was served, the idle timeout applies between requests.
    with srv.raw(timeout=10) as conn:
        conn.send(harness.raw_request("GET", "/health/live"))
        assert conn.read_response().status == 200
        assert not conn.wait_closed(timeout=2.5), "keep-alive closed at the request timeout"


def test_connections_per_client_are_capped(start_server):
    srv = start_server(env={"MAX_CONNECTIONS_PER_CLIENT": "3"})
    held = [srv.raw(timeout=5) for _ in range(3)]
    try:
        for conn in held:  # each is admitted and served
            conn.send(harness.raw_request("GET", "/health/live"))
            assert conn.read_response().status == 200
        for _ in range(2):
            with srv.raw() as extra:
                response = extra.read_response()
                assert response.status == 503, response
                assert response.json() == {"detail": "Too many connections from this client"}
                assert response.header("Retry-After") == "1"
                assert extra.wait_closed(timeout=5)
    finally:
        held.pop().close()
    # One slot free again: a new connection is served.
    metrics = srv.client().get("/metrics").text
    assert harness.metric_value(metrics, "http_connections_refused_total") == 2
    for conn in held:
        conn.close()
    refusals = [r for r in srv.log_records()
                if r.get("msg") == "client at its connection cap: refusing its new connections"]
    assert len(refusals) == 1, refusals
    assert refusals[0]["client"] == "127.0.0.1" and refusals[0]["cap"] == 3
