"""HTTP/1.1 conformance and request smuggling, over raw sockets with the exact bytes.

RFC 9112: how a request's body is framed (6.3), Host (3.2), request targets (3.2), empty lines
before a request (2.2), obsolete line folding (5.2); RFC 9110: HEAD and OPTIONS (9.3).
"""
from __future__ import annotations

import json

import pytest

from checks import STUDENTS
from harness import raw_request

SMUGGLED = b"GET /api/v1/admin/chaos HTTP/1.1\r\nHost: x\r\n\r\n"
VALID = json.dumps({"first_name": "Conform", "last_name": "Ance", "grade": 3}).encode()


def assert_refused_alone(conn, status=400):
    """One answer, `status`, then the connection closes: nothing after it was parsed."""
    response = conn.read_response()
    assert response.status == status, response
    assert response.json() == {"detail": "Bad request"} if status == 400 else True
    assert conn.wait_closed(timeout=5), "connection kept open after the refusal"
    assert b"HTTP/1.1" not in conn.buffer, f"a second answer followed: {conn.buffer[:200]!r}"
    return response


# ---------------------------------------------------------------------------------------------
# Finding 1: request smuggling through Transfer-Encoding


@pytest.mark.parametrize("coding", ["gzip", "identity", "chunked, identity", "gzip, identity"])
def test_transfer_encoding_not_ending_in_chunked_is_400_and_close(server, coding):
    with server.raw() as conn:
        conn.send(b"POST /api/v1/students HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/json\r\n"
                  b"Transfer-Encoding: " + coding.encode() + b"\r\n\r\n" + SMUGGLED)
        assert_refused_alone(conn)


LENGTH = b"Content-Length: %d\r\n" % len(SMUGGLED)  # the smuggled request is the whole body


@pytest.mark.parametrize("head", [
    b"Transfer-Encoding: gzip\r\n" + LENGTH,
    LENGTH + b"Transfer-Encoding: gzip\r\n",
    b"Transfer-Encoding: chunked\r\n" + LENGTH,
    LENGTH + b"Transfer-Encoding: chunked\r\n",
], ids=["te-gzip-then-cl", "cl-then-te-gzip", "te-chunked-then-cl", "cl-then-te-chunked"])
def test_transfer_encoding_with_content_length_is_400_and_close(server, head):
    with server.raw() as conn:
        conn.send(b"POST /api/v1/students HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/json\r\n" + head + b"\r\n" + SMUGGLED)
        assert_refused_alone(conn)


def test_chunked_request_is_still_framed_by_its_chunks(server):
    with server.raw() as conn:
        conn.send(b"POST /api/v1/students HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                  + b"%x\r\n" % len(VALID) + VALID + b"\r\n0\r\n\r\n"
                  + raw_request("GET", "/health/live"))
        assert conn.read_response().status == 201
        assert conn.read_response().status == 200


# ---------------------------------------------------------------------------------------------
# Finding 10: Host


def test_http11_without_host_is_400(server):
    with server.raw() as conn:
        conn.send(b"GET /health/live HTTP/1.1\r\n\r\n")
        assert_refused_alone(conn)


def test_two_host_headers_are_400(server):
    with server.raw() as conn:
        conn.send(b"GET /health/live HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n")
        assert_refused_alone(conn)


def test_http10_without_host_is_fine(server):
    with server.raw() as conn:
        conn.send(b"GET /health/live HTTP/1.0\r\n\r\n")
        assert conn.read_response().status == 200


# ---------------------------------------------------------------------------------------------
# Finding 10: HEAD, absolute-form, OPTIONS


def test_head_is_get_without_a_body(server):
    with server.raw() as conn:
        conn.send(raw_request("GET", "/health/live"))
        get = conn.read_response()
        conn.send(raw_request("HEAD", "/health/live"))
        head = conn.read_response(head_request=True)
        # Nothing of a body may follow, or it would be read as the next answer.
        conn.send(raw_request("GET", "/health/live", [("X-Request-ID", "after-head")]))
        after = conn.read_response()
    assert head.status == 200, head
    assert head.header("Content-Length") == get.header("Content-Length")
    assert head.header("Content-Type") == get.header("Content-Type")
    assert (after.status, after.header("X-Request-ID")) == (200, "after-head")


def test_head_of_a_missing_student_is_404_without_body(server):
    with server.raw() as conn:
        conn.send(raw_request("HEAD", STUDENTS + "/STU-00000000"))
        response = conn.read_response(head_request=True)
        conn.send(raw_request("GET", "/health/live"))
        assert conn.read_response().status == 200
    assert response.status == 404, response


def test_absolute_form_target_is_served(server):
    with server.raw() as conn:
        conn.send(b"GET http://localhost/health/live HTTP/1.1\r\nHost: localhost\r\n\r\n")
        response = conn.read_response()
    assert response.status == 200, response
    assert response.json() == {"status": "alive"}


def test_absolute_form_with_a_query_routes_by_its_path(server):
    with server.raw() as conn:
        conn.send(b"GET http://localhost/api/v1/students?limit=1 HTTP/1.1\r\n"
                  b"Host: localhost\r\n\r\n")
        response = conn.read_response()
    assert response.status == 200, response
    assert len(response.json()) <= 1


def test_options_asterisk_describes_the_server(server):
    with server.raw() as conn:
        conn.send(b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n")
        response = conn.read_response()
    assert response.status == 204, response
    assert "GET" in response.header("Allow") and "OPTIONS" in response.header("Allow")


def test_asterisk_form_is_only_for_options(server):
    with server.raw() as conn:
        conn.send(b"GET * HTTP/1.1\r\nHost: x\r\n\r\n")
        assert conn.read_response().status == 400


def test_options_on_a_route_lists_its_methods(server):
    with server.raw() as conn:
        conn.send(raw_request("OPTIONS", STUDENTS))
        response = conn.read_response()
    assert response.status == 204, response
    allow = [m.strip() for m in response.header("Allow").split(",")]
    assert set(allow) == {"GET", "HEAD", "POST", "OPTIONS"}, allow


def test_405_allow_lists_head_and_options(server):
    with server.raw() as conn:
        conn.send(raw_request("DELETE", "/health/live"))
        response = conn.read_response()
    assert response.status == 405, response
    assert [m.strip() for m in response.header("Allow").split(",")] == ["GET", "HEAD", "OPTIONS"]


# ---------------------------------------------------------------------------------------------
# Finding 10: 414, empty lines, obsolete folding


def test_8200_character_url_is_414(server, api):
    target = "/" + "a" * 8199
    assert len(target) == 8200
    with server.raw() as conn:
        conn.send(f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        response = conn.read_response()
        assert response.status == 414, response
        assert response.json() == {"detail": "URI Too Long"}
        assert conn.wait_closed(timeout=5)
    assert api.get("/health/live").status_code == 200


def test_empty_lines_before_a_request_are_ignored(server):
    with server.raw() as conn:
        conn.send(b"\r\n\r\n" + raw_request("GET", "/health/live"))
        assert conn.read_response().status == 200


def test_crlf_after_a_body_does_not_lose_the_next_pipelined_request(server):
    with server.raw() as conn:
        conn.send(raw_request("POST", STUDENTS, [("Content-Type", "application/json")], VALID)
                  + b"\r\n"
                  + raw_request("GET", "/health/live", [("X-Request-ID", "after-crlf")]))
        assert conn.read_response().status == 201
        second = conn.read_response()
    assert (second.status, second.header("X-Request-ID")) == (200, "after-crlf")


@pytest.mark.parametrize("fold", [b" folded\r\n", b"\tfolded\r\n"], ids=["space", "tab"])
def test_obsolete_line_folding_is_400(server, fold):
    with server.raw() as conn:
        conn.send(b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Long: first\r\n" + fold + b"\r\n")
        assert_refused_alone(conn)


# ---------------------------------------------------------------------------------------------
# Finding 13: JSON numbers as plain decimals


def test_admin_json_numbers_are_plain_decimals(start_server):
    client = start_server().admin_client()
    rules = [{"route": "/docs", "error_rate": 0.5, "duration_seconds": 60},
             {"route": "/openapi.json", "error_rate": 1.0, "duration_seconds": 60}]
    assert client.put("/api/v1/admin/chaos", json={"rules": rules}).status_code == 200
    text = client.get("/api/v1/admin/chaos").text
    assert '"error_rate":0.5' in text and '"error_rate":1.0' in text, text
    assert "E-" not in text and "E0" not in text, text


# ---------------------------------------------------------------------------------------------
# Path spellings cannot slip past a route's rules: a variant either reaches the same route
# (and so its rate limit, role and shedding tag) or no route at all.

CREATE_POLICY = '"POST /api/v1/students";q=10;w=60'
CREATE_VARIANTS = ["/API/v1/students", "/api/V1/Students", "/api/v1/students/",
                   "//api/v1/students", "/api//v1/students", "/api/v1/./students",
                   "/api/v1/x/../students", "/api/v1/%2e%2e/v1/students", "/api/v1/students/.",
                   "/api/v1/%73tudents", "/api/v1/students%2F", "/api/v1/students%00",
                   "/api/v1/students;x", "/api/v1/students%20"]
ADMIN_VARIANTS = ["/API/v1/admin/chaos", "/api/v1/admin/chaos/", "//api/v1/admin/chaos",
                  "/api/v1/admin/./chaos", "/api/v1/students/../admin/chaos",
                  "/api/v1/admin/%63haos", "/api/v1/admin%2Fchaos", "/api/v1/ADMIN/chaos"]


def access_line(srv, request_id):
    return srv.wait_for_log(lambda r: r.get("request_id") == request_id and "route" in r,
                            what=f"access line of {request_id}")


def test_create_spelled_differently_keeps_its_rate_limit_or_is_refused(start_server):
    srv = start_server(env={"RATE_LIMIT_ENABLED": "true"})
    for number, path in enumerate(CREATE_VARIANTS):
        request_id = f"create-variant-{number}"
        with srv.raw() as conn:
            conn.send(raw_request("POST", path, [("Content-Type", "application/json"),
                                                 ("X-Request-ID", request_id)], VALID))
            response = conn.read_response()
        route = access_line(srv, request_id)["route"]
        if response.status in (400, 404, 405):
            continue  # refused: no handler created anything
        assert route == STUDENTS, (path, route)
        assert response.header("RateLimit-Policy") == CREATE_POLICY, (path, response.headers)


@pytest.mark.parametrize("path", ADMIN_VARIANTS)
def test_admin_spelled_differently_is_the_admin_route_or_refused(server, path):
    request_id = "admin-variant-" + str(ADMIN_VARIANTS.index(path))
    with server.raw() as conn:
        conn.send(raw_request("GET", path, [("X-Request-ID", request_id)]))
        response = conn.read_response()
    route = access_line(server, request_id)["route"]
    assert route in ("unmatched", "/api/v1/admin/chaos"), route
    if route == "unmatched":
        assert response.status in (400, 404), response
    else:
        assert response.status == 401, response  # the admin route's token check applies
