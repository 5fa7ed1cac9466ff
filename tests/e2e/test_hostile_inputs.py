"""Hostile inputs: never a 500, never a crash. /health/live is checked after every test."""
from __future__ import annotations

import json

import pytest

from checks import STUDENTS, assert_json, assert_single_error, student_path, validation_errors

JSON_HEADERS = {"Content-Type": "application/json"}


@pytest.fixture(autouse=True)
def still_alive(api, server):
    yield
    assert server.process.is_running(), f"server died\n{server.process.log_tail()}"
    response = api.get("/health/live", timeout=5)
    assert response.json() == {"status": "alive"}


def post_raw(api, raw: bytes):
    return api.post(STUDENTS, data=raw, headers=JSON_HEADERS)


def test_escaped_nul_in_string_round_trips_or_is_rejected(api):
    response = api.post(STUDENTS, json={"first_name": "a\u0000b", "last_name": "\u0000",
                                        "grade": 3})
    assert response.status_code in (201, 422), response.text
    if response.status_code == 201:
        created = response.json()
        assert created["first_name"] == "a\u0000b" and created["last_name"] == "\u0000"
        fetched = assert_json(api.get(student_path(created["student_id"])), 200)
        assert fetched["first_name"] == "a\u0000b", "NUL truncated in storage"
        assert fetched["last_name"] == "\u0000"


def test_raw_nul_byte_inside_json_string_is_json_invalid(api):
    response = post_raw(api, b'{"first_name":"a\x00b","last_name":"c","grade":3}')
    assert_single_error(response, ["body"], "json_invalid", msg=None)


@pytest.mark.parametrize("raw", [
    b'{"first_name":"\xff\xfe","last_name":"x","grade":1}',
    b'{"first_name":"\xc3\x28","last_name":"x","grade":1}',        # bad continuation byte
    b'{"first_name":"\xed\xa0\x80","last_name":"x","grade":1}',    # UTF-8 encoded surrogate
    b'{"first_name":"\xc0\xaf","last_name":"x","grade":1}',        # overlong encoding
    b'{"first_name":"ok","last_name":"\xe2\x82","grade":1}',       # truncated sequence
    b'\xef\xbb\xbf\xff{"first_name":"a"}',
], ids=["ff-fe", "bad-continuation", "surrogate", "overlong", "truncated", "bom-junk"])
def test_invalid_utf8_is_json_invalid(api, raw):
    response = post_raw(api, raw)
    assert_single_error(response, ["body"], "json_invalid", msg=None)


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\ud800\\u0041"])
def test_lone_surrogate_escape_is_not_500(api, escape):
    raw = ('{"first_name":"x' + escape + '","last_name":"y","grade":2}').encode()
    response = post_raw(api, raw)
    assert response.status_code in (201, 422), response.text
    if response.status_code == 201:
        # Whatever was stored must be readable back as valid JSON.
        fetched = api.get(student_path(response.json()["student_id"]))
        assert fetched.status_code == 200
        fetched.json()


@pytest.mark.parametrize("grade", ["99999999999999999999", "-99999999999999999999",
                                   "1" + "0" * 400, "1e400", "-1e400", "1e2", "12.0000000001",
                                   "9223372036854775807", "9223372036854775808",
                                   "-9223372036854775809", "4294967297", "1E3"])
def test_huge_or_odd_numbers_for_grade(api, grade):
    raw = ('{"first_name":"a","last_name":"b","grade":' + grade + "}").encode()
    response = post_raw(api, raw)
    assert response.status_code == 422, response.text
    errors = validation_errors(response)
    assert len(errors) == 1, errors
    # A number too big for a double may be a decode error; anything else is a grade error.
    assert errors[0]["loc"] in (["body", "grade"], ["body"]), errors
    if errors[0]["loc"] == ["body", "grade"]:
        assert errors[0]["type"] in ("int_type", "less_than_equal", "greater_than_equal",
                                     "int_from_float"), errors
    else:
        assert errors[0]["type"] == "json_invalid", errors


def test_grade_4294967297_does_not_wrap_to_valid(api):
    # 2**32 + 1 would become 1 if truncated to 32 bits.
    response = post_raw(api, b'{"first_name":"a","last_name":"b","grade":4294967297}')
    assert_single_error(response, ["body", "grade"], "less_than_equal")


def test_negative_skip(api):
    response = api.get(STUDENTS, params={"skip": -1})
    assert_single_error(response, ["query", "skip"], "greater_than_equal",
                        "Input should be greater than or equal to 0")


@pytest.mark.parametrize("query", ["skip=1&skip=2", "limit=%00", "limit=5%00", "skip=%ff",
                                   "limit=+5", "limit=0x10", "limit=1_0", "skip",
                                   "&&&", "limit=" + "9" * 5000])
def test_odd_query_strings_are_not_500(api, query):
    response = api.get(STUDENTS + "?" + query)
    assert response.status_code in (200, 422), f"{query[:40]} -> {response.status_code}"
    assert isinstance(response.json(), (list, dict))


@pytest.mark.parametrize("path", [
    "/api/v1/students/STU-1' OR '1'='1", "/api/v1/students/%00", "/api/v1/students/%ff%fe",
    "/api/v1/students/" + "A" * 4000, "/api/v1/students/STU-0000000%2F",
    "/api/v1/students/..%2F..%2Fhealth", "/%2e%2e/%2e%2e/etc/passwd"])
def test_odd_paths_are_not_500(api, path):
    for method in ("GET", "DELETE", "PATCH"):
        kwargs = {"json": {"grade": 2}} if method == "PATCH" else {}
        response = api.request(method, path, **kwargs)
        assert response.status_code in (400, 404), f"{method} {path[:60]} -> {response.status_code}"


def test_sql_injection_in_names_is_stored_as_text(api):
    nasty = "x'); DELETE FROM students; --"
    count_before = len(api.get(STUDENTS, params={"limit": 1000}).json())
    response = api.post(STUDENTS, json={"first_name": nasty, "last_name": "%' OR 1=1 --",
                                        "grade": 5})
    created = assert_json(response, 201)
    assert created["first_name"] == nasty
    assert len(api.get(STUDENTS, params={"limit": 1000}).json()) >= min(count_before + 1, 1000)


@pytest.mark.parametrize("raw", [b"", b" ", b"\r\n", b"{}" * 1000, b'{"grade":1' + b" " * 500000])
def test_empty_or_junk_bodies_are_422(api, raw):
    response = post_raw(api, raw)
    validation_errors(response)


def test_duplicate_keys_are_not_500(api):
    response = post_raw(api, b'{"first_name":"a","first_name":"b","last_name":"c","grade":1}')
    assert response.status_code in (201, 422), response.text


def test_very_long_string_is_string_too_long(api):
    response = api.post(STUDENTS, json={"first_name": "x" * 500_000, "last_name": "y",
                                        "grade": 1})
    assert_single_error(response, ["body", "first_name"], "string_too_long")


def test_many_unknown_fields(api):
    body = {f"k{i}": i for i in range(20_000)}
    body.update({"first_name": "Many", "last_name": "Keys", "grade": 3})
    response = api.post(STUDENTS, data=json.dumps(body).encode(), headers=JSON_HEADERS)
    assert response.status_code == 201, response.text[:300]


def test_headers_with_odd_bytes_are_not_500(server):
    with server.raw() as conn:
        conn.send(b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Odd: \xff\xfe\x01\r\n"
                  b"User-Agent: \x7f\r\n\r\n")
        response = conn.read_response()
    assert response.status in (200, 400), response


@pytest.mark.parametrize("method", [b"FOO", b"CONNECT", b"TRACE", b"OPTIONS", b"HEAD"])
def test_unusual_methods_are_not_500(server, method):
    with server.raw() as conn:
        conn.send(method + b" /api/v1/students HTTP/1.1\r\nHost: x\r\n\r\n")
        response = conn.read_response(head_request=method == b"HEAD")
    assert response.status < 500 and response.status != 200 or method == b"HEAD", response
    assert response.status in (200, 204, 400, 404, 405, 501), response


@pytest.mark.parametrize("target", [
    b"/nope/\xff\xfe", b"/api/v1/students/\xc3\x28", b"/api/v1/students/\xed\xa0\x80",
    b"/\xc0\xafetc", b"/x?q=\xe2\x82", b"/\x9b[31mred"],
    ids=["ff-fe", "bad-continuation", "surrogate", "overlong", "truncated-in-query", "c1-csi"])
def test_raw_non_utf8_target_is_refused_and_logged_as_json(server, target):
    with server.raw() as conn:
        conn.send(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        response = conn.read_response()
    assert response.status in (400, 404), response
    request_id = response.header("X-Request-ID").encode()
    server.wait_for_log(lambda r: r.get("request_id") == request_id.decode(),
                        what=f"the access line of {target!r}")
    [line] = [line for line in server.process.log_bytes().splitlines() if request_id in line]
    record = json.loads(line.decode("utf-8"))  # raw bytes copied into the line fail here
    assert record["request_id"] == request_id.decode()


@pytest.mark.parametrize("method", ["GET", "DELETE"])
@pytest.mark.parametrize("path", [
    "/a/../api/v1/students", "/api/v1/students/.", "/api/v1/students/..",
    "/api/v1/students/%2e%2e", "/api/v1/students/%2E", "/api/v1/students/./grades",
    "/docs/assets/..", "/docs/assets/%2e%2e",
    "/./api/v1/students", "/./api/v1/%73tudents"])  # a leading "." that Boost.URL hides
def test_dot_segments_route_nowhere(server, method, path):
    """A proxy in front may resolve "..", the service does not: rather than route such a path
    somewhere the two disagree about (here, a student id of ".."), it is 404 unmatched."""
    with server.raw() as conn:
        conn.send(f"{method} {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        response = conn.read_response()
    assert response.status == 404, response
    assert response.json() == {"detail": "Not Found"}, response.body
    request_id = response.header("X-Request-ID")
    record = server.wait_for_log(lambda r: r.get("request_id") == request_id and "route" in r,
                                 what=f"the access line of {path}")
    assert record["route"] == "unmatched", record


def test_every_log_line_is_utf8_json_after_the_hostile_inputs(server):
    """Last in this file: the lines of every request above, raw bytes and all, still parse."""
    for number, line in enumerate(server.process.log_bytes().splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8"))
        except ValueError as error:
            raise AssertionError(f"log line {number} is not UTF-8 JSON ({error}): {line[:300]!r}")
        assert isinstance(record, dict), line[:300]
