"""Connection exhaustion: the open-file limit, silent connections, connections per client."""
from __future__ import annotations

import resource
import socket
import time
from pathlib import Path

import pytest

import harness

REFUSAL_LOG = "client at its connection cap: refusing its new connections"


class RawConnectionFrom(harness.RawConnection):
    """A raw connection from another loopback address (all of 127/8 is this host): another
    client, as far as the server can tell."""

    def __init__(self, source: str, host: str, port: int, timeout: float = 5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout,
                                             source_address=(source, 0))
        self.sock.settimeout(timeout)
        self.buffer = b""
        self.eof = False


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
    """Slowloris without the trickle: connections opened and left silent. Each would hold a
    descriptor for the whole idle timeout; the first byte is due within the request timeout."""
    srv = start_server(env={"REQUEST_TIMEOUT_SECONDS": "1", "IDLE_TIMEOUT_SECONDS": "60"})
    silent = [srv.raw(timeout=10) for _ in range(20)]
    start = time.monotonic()
    try:
        for conn in silent:
            assert conn.wait_closed(timeout=max(0.1, start + 8 - time.monotonic())), \
                "a silent new connection was kept beyond REQUEST_TIMEOUT_SECONDS"
        elapsed = time.monotonic() - start
    finally:
        for conn in silent:
            conn.close()
    assert 0.8 <= elapsed < 5, f"closed after {elapsed:.2f}s"
    assert all(conn.buffer == b"" for conn in silent), "closed without an answer"
    # Once a request was served, the idle timeout applies between requests.
    with srv.raw(timeout=10) as conn:
        conn.send(harness.raw_request("GET", "/health/live"))
        assert conn.read_response().status == 200
        assert not conn.wait_closed(timeout=2.5), "keep-alive closed at the request timeout"
        conn.send(harness.raw_request("GET", "/health/live"))
        assert conn.read_response().status == 200


def assert_refused_over_cap(conn: harness.RawConnection) -> None:
    response = conn.read_response()
    assert response.status == 503, response
    assert response.json() == {"detail": "Too many connections from this client"}
    assert response.header("Retry-After") == "1", response.headers
    assert response.header("Content-Type") == "application/json", response.headers
    assert response.header("Connection") == "close", response.headers
    assert conn.wait_closed(timeout=5), "a refused connection was kept open"


def test_connections_per_client_are_capped(start_server):
    srv = start_server(env={"MAX_CONNECTIONS_PER_CLIENT": "3"})
    # The client under test has an address of its own: the harness's readiness probe, from
    # 127.0.0.1, may still be counted until the server has read its close.
    client = "127.0.0.3"

    def connect() -> RawConnectionFrom:
        return RawConnectionFrom(client, srv.host, srv.port)

    held = [connect() for _ in range(3)]
    refused = 0
    try:
        for conn in held:  # each is admitted and served, and stays open
            conn.send(harness.raw_request("GET", "/health/live"))
            assert conn.read_response().status == 200
        # The fourth and fifth: answered without a request, and closed.
        for _ in range(2):
            with connect() as extra:
                assert_refused_over_cap(extra)
                refused += 1
        # A client that sends its request at once gets the same answer.
        with connect() as eager:
            eager.send(harness.raw_request("GET", "/api/v1/students"))
            assert_refused_over_cap(eager)
            refused += 1
        # Another client is not affected by this one's cap.
        with RawConnectionFrom("127.0.0.2", srv.host, srv.port) as other:
            other.send(harness.raw_request("GET", "/health/live"))
            assert other.read_response().status == 200
        # The held connections still work.
        for conn in held:
            conn.send(harness.raw_request("GET", "/health/live"))
            assert conn.read_response().status == 200
    finally:
        held.pop().close()

    # One slot is free again (as soon as the server has seen the close): a new connection
    # is served.
    def scrape():
        nonlocal refused
        with connect() as conn:
            conn.send(harness.raw_request("GET", "/metrics"))
            response = conn.read_response()
        refused += response.status == 503
        return response if response.status == 200 else None

    metrics = harness.poll(scrape, 5, what="a connection admitted below the cap").body.decode()
    for conn in held:
        conn.close()
    assert harness.metric_value(metrics, "http_connections_refused_total") == refused
    refusals = [r for r in srv.log_records() if r.get("msg") == REFUSAL_LOG]
    assert len(refusals) == 1, f"one run of refusals, logged {len(refusals)} times"
    assert refusals[0]["client"] == client and refusals[0]["cap"] == 3, refusals[0]
    assert refusals[0]["level"] == "warn", refusals[0]

