"""A client that pipelines requests and never reads the answers: the server must stop
serving it once a little is unsent, not keep answering into kernel buffers (it once served
18,000 requests into 4 MiB per connection, and 1,000 such connections took both cores)."""
from __future__ import annotations

import socket
import time

import harness

LIVE = {"method": "GET", "route": "/health/live", "status": "200"}


def served_live(srv) -> float:
    with srv.raw() as conn:
        conn.send(harness.raw_request("GET", "/metrics"))
        return harness.metric_value(conn.read_response().body.decode(), "http_requests_total",
                                    LIVE)


def test_a_pipelining_client_that_never_reads_is_held_back(start_server):
    srv = start_server(env={"REQUEST_TIMEOUT_SECONDS": "2", "WORKER_THREADS": "1"})
    with srv.raw() as first:  # the series exists once a live probe was answered
        first.send(harness.raw_request("GET", "/health/live"))
        assert first.read_response().status == 200
    before = served_live(srv)
    pipelined = socket.create_connection((srv.host, srv.port))
    pipelined.setblocking(False)
    burst = harness.raw_request("GET", "/health/live") * 1000
    sent = 0
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        try:
            sent += pipelined.send(burst)
        except BlockingIOError:
            time.sleep(0.01)
    requests_sent = sent // len(harness.raw_request("GET", "/health/live"))
    try:
        # Others are served meanwhile, promptly.
        start = time.monotonic()
        with srv.raw() as other:
            other.send(harness.raw_request("GET", "/health/live"))
            assert other.read_response().status == 200
        assert time.monotonic() - start < 1
        served = served_live(srv) - before - 1
        # What a client that never reads can make the server do: fill its own receive
        # window and the unsent bound (a few hundred answers of about 300 bytes), not
        # 4 MiB of answers.
        assert requests_sent > 5000, f"the client could send only {requests_sent} requests"
        assert served < 2500, f"{served:.0f} of {requests_sent} pipelined requests answered"

        # The write that waits is given up at the request timeout: the connection closes.
        time.sleep(3)
        pipelined.setblocking(True)
        pipelined.settimeout(5)
        received = 0
        try:
            while chunk := pipelined.recv(65536):
                received += len(chunk)
        except ConnectionResetError:
            pass
        assert received < 1_000_000, f"{received} bytes were queued for a client that never read"
    finally:
        pipelined.close()
