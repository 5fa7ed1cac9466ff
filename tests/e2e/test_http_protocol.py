"""HTTP/1.1 edge cases over raw sockets: limits, malformed requests, keep-alive, timeouts."""
from __future__ import annotations

import json
import threading
import time

import pytest

from checks import STUDENTS
from harness import RawConnection, raw_request

MIB = 1024 * 1024
VALID = {"first_name": "Raw", "last_name": "Socket", "grade": 4}


def json_body(response):
    content_type = (response.header("Content-Type") or "").split(";")[0].strip().lower()
    assert content_type == "application/json", (response.status, response.headers)
    return response.json()


def assert_alive(api):
    assert api.get("/health/live", timeout=5).json() == {"status": "alive"}


def send_in_background(conn: RawConnection, data: bytes) -> threading.Thread:
    """Sends data while the main thread reads (the server may answer before reading it all)."""
    def run():
        try:
            conn.send(data)
        except OSError:
            pass  # the server closed the connection early, which it is allowed to do
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def padded_student_body(size: int) -> bytes:
    """A valid create body of exactly `size` bytes (padding in an ignored field)."""
    base = json.dumps({**VALID, "pad": ""}, separators=(",", ":")).encode()
    assert size >= len(base)
    return base[:-2] + b"x" * (size - len(base)) + b'"}'


# ---------------------------------------------------------------------------------------------
# 413 (the bodies of 413, 431 and 414 are the README's error table)


def test_body_over_limit_is_413_and_closes(server, api):
    body = padded_student_body(MIB + 1)
    assert len(body) == MIB + 1
    with server.raw(timeout=10) as conn:
        request = raw_request("POST", STUDENTS, [("Content-Type", "application/json")], body)
        sender = send_in_background(conn, request)
        response = conn.read_response(timeout=10)
        assert response.status == 413, response
        assert json_body(response) == {"detail": "Request body too large"}
        assert response.header("X-Request-ID")
        assert conn.wait_closed(timeout=5), "connection not closed after 413"
        sender.join(timeout=10)
    assert_alive(api)


def test_declared_length_over_limit_is_413_without_sending_body(server):
    with server.raw() as conn:
        conn.send(raw_request("POST", STUDENTS, [("Content-Type", "application/json"),
                                                  ("Content-Length", str(10 * MIB))]))
        response = conn.read_response(timeout=5)
        assert response.status == 413, response
        assert json_body(response) == {"detail": "Request body too large"}
        assert conn.wait_closed(timeout=5)


def test_chunked_body_over_limit_is_413(server, api):
    chunk = b"x" * 65536
    chunks = b"".join(b"%x\r\n" % len(chunk) + chunk + b"\r\n" for _ in range(17)) + b"0\r\n\r\n"
    with server.raw(timeout=10) as conn:
        head = raw_request("POST", STUDENTS, [("Content-Type", "application/json"),
                                              ("Transfer-Encoding", "chunked")])
        sender = send_in_background(conn, head + chunks)
        response = conn.read_response(timeout=10)
        assert response.status == 413, response
        assert json_body(response) == {"detail": "Request body too large"}
        sender.join(timeout=10)
    assert_alive(api)


def test_body_exactly_at_limit_is_accepted(server):
    body = padded_student_body(MIB)
    with server.raw(timeout=10) as conn:
        conn.send(raw_request("POST", STUDENTS, [("Content-Type", "application/json")], body))
        response = conn.read_response(timeout=10)
    assert response.status == 201, (response.status, response.body[:300])
    assert json_body(response)["first_name"] == "Raw"


def test_chunked_body_within_limit_is_accepted(server):
    body = json.dumps(VALID).encode()
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:5], body[5:]))
    with server.raw() as conn:
        conn.send(raw_request("POST", STUDENTS, [("Content-Type", "application/json"),
                                                  ("Transfer-Encoding", "chunked")])
                  + chunked + b"0\r\n\r\n")
        response = conn.read_response()
    assert response.status == 201, (response.status, response.body[:300])


# ---------------------------------------------------------------------------------------------
# 431


def test_16k_header_is_431_and_closes(server, api):
    with server.raw() as conn:
        conn.send(raw_request("GET", "/health/live", [("X-Big", "a" * 16384)]))
        response = conn.read_response()
        assert response.status == 431, response
        assert json_body(response) == {"detail": "Request header fields too large"}
        assert response.header("X-Request-ID")
        assert conn.wait_closed(timeout=5), "connection not closed after 431"
    assert_alive(api)


def test_many_small_headers_over_limit_is_431(server):
    headers = [(f"X-H{i}", "v" * 50) for i in range(200)]  # ~12 KiB in total
    with server.raw() as conn:
        conn.send(raw_request("GET", "/health/live", headers))
        response = conn.read_response()
        assert response.status == 431, response
        assert json_body(response) == {"detail": "Request header fields too large"}


def test_header_under_limit_is_fine(server):
    with server.raw() as conn:
        conn.send(raw_request("GET", "/health/live", [("X-Big", "a" * 6000)]))
        assert conn.read_response().status == 200


def test_huge_request_line_is_rejected(server, api):
    with server.raw() as conn:
        conn.send(f"GET /{'a' * 20000} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        response = conn.read_response()
        # README: the request line alone over MAX_HEADER_BYTES is 414 (not 431), then closed.
        assert response.status == 414, response
        assert json_body(response) == {"detail": "URI Too Long"}
        assert conn.wait_closed(timeout=5), "connection not closed after 414"
    assert_alive(api)


# ---------------------------------------------------------------------------------------------
# 400


@pytest.mark.parametrize("request_bytes", [
    b"GARBAGE\r\n\r\n",
    b"GET\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40 + b"\r\n\r\n",  # TLS hello
    b"GET / HTTP/1.1\r\nNoColonHere\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    b"POST /api/v1/students HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
    b"Content-Length: 7\r\n\r\nhello",
    b"POST /api/v1/students HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"GET / HTTP/1.1\r\nBad Header Name: x\r\n\r\n",
], ids=["garbage", "no-target", "tls-hello", "no-colon", "bad-content-length",
        "two-content-lengths", "bad-chunk-size", "space-in-header-name"])
def test_malformed_http_is_400_json_and_close(server, api, request_bytes):
    with server.raw() as conn:
        conn.send(request_bytes)
        response = conn.read_response()
        assert response.status == 400, response
        assert json_body(response) == {"detail": "Bad request"}
        assert response.header("X-Request-ID")
        assert conn.wait_closed(timeout=5), "connection not closed after 400"
    assert_alive(api)


def test_peer_closing_mid_request_does_not_hurt(server, api):
    for partial in (b"GET /health/li", b"POST /api/v1/students HTTP/1.1\r\nHost: x\r\n"
                    b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"fir"):
        with server.raw() as conn:
            conn.send(partial)
    assert_alive(api)


# ---------------------------------------------------------------------------------------------
# keep-alive


def test_two_requests_on_one_connection(server):
    with server.raw() as conn:
        conn.send(raw_request("GET", "/health/live", [("X-Request-ID", "ka-1")]))
        first = conn.read_response()
        conn.send(raw_request("POST", STUDENTS, [("Content-Type", "application/json"),
                                                 ("X-Request-ID", "ka-2")],
                              json.dumps(VALID).encode()))
        second = conn.read_response()
        conn.send(raw_request("GET", "/nope", [("X-Request-ID", "ka-3")]))
        third = conn.read_response()
    assert (first.status, first.header("X-Request-ID")) == (200, "ka-1")
    assert (second.status, second.header("X-Request-ID")) == (201, "ka-2")
    assert (third.status, third.header("X-Request-ID")) == (404, "ka-3")
    for response in (first, second, third):
        assert (response.header("Connection") or "").lower() != "close", response.headers


def test_connection_stays_open_after_4xx(server):
    with server.raw() as conn:
        conn.send(raw_request("POST", STUDENTS, [("Content-Type", "application/json")], b"{}"))
        assert conn.read_response().status == 422
        conn.send(raw_request("POST", STUDENTS, [("Content-Type", "text/plain")], b"x"))
        assert conn.read_response().status == 415
        conn.send(raw_request("GET", "/health/live"))
        assert conn.read_response().status == 200


def test_pipelined_requests_are_answered_in_order(server):
    with server.raw() as conn:
        conn.send(b"".join(raw_request("GET", "/health/live", [("X-Request-ID", f"pipe-{i}")])
                           for i in range(3)))
        ids = [conn.read_response().header("X-Request-ID") for _ in range(3)]
    assert ids == ["pipe-0", "pipe-1", "pipe-2"]


def create_request(first_name: str, headers=()) -> tuple[bytes, bytes]:
    """The head and the body of a create request, apart."""
    body = json.dumps({**VALID, "first_name": first_name}).encode()
    request = raw_request("POST", STUDENTS, [("Content-Type", "application/json"), *headers], body)
    return request[:-len(body)], body


def created_name(response) -> str:
    assert response.status == 201, response
    return json_body(response)["first_name"]


# The server parses what it has already read before it waits for more: a body is read whole
# whether it came with the head, after it, or in pieces; and what follows it is the next request.
def test_body_split_after_the_head_is_read_whole(server):
    head, body = create_request("Split")
    with server.raw() as conn:
        conn.send(head + body[:7])  # the head and the body's first bytes in one segment
        time.sleep(0.2)
        conn.send(body[7:])
        assert created_name(conn.read_response()) == "Split"


def test_chunked_body_split_inside_a_chunk_size_is_read_whole(server):
    head, body = create_request("Chunky", [("Transfer-Encoding", "chunked")])
    size = f"{len(body):x}".encode()
    assert len(size) == 2
    with server.raw() as conn:
        conn.send(head + size[:1])  # the head and half of the first chunk's size line
        time.sleep(0.2)
        conn.send(size[1:] + b"\r\n" + body + b"\r\n0\r\n\r\n")
        assert created_name(conn.read_response()) == "Chunky"


def test_pipelined_requests_with_bodies_are_each_read_whole(server):
    names = ["Piped", "Second", "Third"]
    with server.raw() as conn:
        conn.send(b"".join(b"".join(create_request(name)) for name in names))
        assert [created_name(conn.read_response()) for _ in names] == names


def test_connection_close_is_honoured(server):
    with server.raw() as conn:
        conn.send(raw_request("GET", "/health/live", [("Connection", "close")]))
        response = conn.read_response()
        assert response.status == 200
        assert conn.wait_closed(timeout=5), "server kept a Connection: close connection open"


def test_http10_without_keepalive_is_closed(server):
    with server.raw() as conn:
        conn.send(b"GET /health/live HTTP/1.0\r\n\r\n")
        response = conn.read_response()
        assert response.status == 200
        assert conn.wait_closed(timeout=5)


# ---------------------------------------------------------------------------------------------
# timeouts (dedicated servers)


@pytest.mark.slow
def test_idle_keepalive_connection_is_closed(start_server):
    srv = start_server(env={"IDLE_TIMEOUT_SECONDS": "1"})
    with srv.raw(timeout=10) as conn:
        conn.send(raw_request("GET", "/health/live"))
        assert conn.read_response().status == 200
        start = time.monotonic()
        closed = conn.wait_closed(timeout=6)
        elapsed = time.monotonic() - start
    assert closed, "idle keep-alive connection still open 6 s after IDLE_TIMEOUT_SECONDS=1"
    assert elapsed >= 0.8, f"closed after {elapsed:.2f}s, before the 1 s idle timeout"
    # Activity keeps a connection alive: requests every 0.4 s for 2 s on one connection.
    with srv.raw(timeout=10) as conn:
        for _ in range(5):
            conn.send(raw_request("GET", "/health/live"))
            assert conn.read_response().status == 200
            assert not conn.wait_closed(timeout=0.4)


@pytest.mark.slow
def test_slow_client_half_headers_is_closed(start_server):
    srv = start_server(env={"REQUEST_TIMEOUT_SECONDS": "1"})
    with srv.raw(timeout=10) as conn:
        conn.send(b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        start = time.monotonic()
        closed = conn.wait_closed(timeout=6)
        elapsed = time.monotonic() - start
        leftover = conn.buffer
    assert closed, "half-sent request still open 6 s after REQUEST_TIMEOUT_SECONDS=1"
    assert elapsed >= 0.8, f"closed after {elapsed:.2f}s, before the 1 s request timeout"
    assert b" 200 " not in leftover.split(b"\r\n", 1)[0], leftover[:200]
    assert srv.client().get("/health/live").status_code == 200


@pytest.mark.slow
def test_slowloris_trickle_is_closed(start_server):
    """Bytes keep arriving, but the whole request must arrive within REQUEST_TIMEOUT."""
    srv = start_server(env={"REQUEST_TIMEOUT_SECONDS": "1"})
    with srv.raw(timeout=10) as conn:
        conn.send(b"GET /health/live HTTP/1.1\r\nHost: x\r\n")
        start = time.monotonic()
        closed = False
        while time.monotonic() - start < 6:
            try:
                conn.send(b"X-a: b\r\n")
            except OSError:
                closed = True
                break
            if conn.wait_closed(timeout=0.2):
                closed = True
                break
        elapsed = time.monotonic() - start
    assert closed, "trickling client kept the request open for 6 s with REQUEST_TIMEOUT=1"
    assert elapsed < 4, f"closed only after {elapsed:.1f}s"


@pytest.mark.slow
def test_slow_body_is_closed(start_server):
    srv = start_server(env={"REQUEST_TIMEOUT_SECONDS": "1"})
    with srv.raw(timeout=10) as conn:
        conn.send(b"POST /api/v1/students HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"first")
        start = time.monotonic()
        closed = conn.wait_closed(timeout=6)
        elapsed = time.monotonic() - start
    assert closed and elapsed < 4, f"closed={closed} after {elapsed:.1f}s"
