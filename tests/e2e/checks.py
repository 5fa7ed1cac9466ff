"""Assertions shared by the sre-playground end-to-end tests (the spec's shapes)."""
from __future__ import annotations

import datetime as dt
import json
import re

import harness

STUDENT_ID_RE = re.compile(r"^STU-[0-9A-F]{8}$")
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
# RFC 3339 in UTC with a Z suffix, e.g. 2026-11-26T23:46:43.123456Z
RFC3339_UTC_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$")
STUDENT_KEYS = {"id", "student_id", "first_name", "last_name", "grade", "created_at",
                "updated_at"}

STUDENTS = "/api/v1/students"

MSG = {
    "missing": "Field required",
    "string_type": "Input should be a valid string",
    "string_too_short": "String should have at least 1 character",
    "string_too_long": "String should have at most 100 characters",
    "int_type": "Input should be a valid integer",
    "int_parsing": "Input should be a valid integer, unable to parse string as an integer",
}


def student_path(student_id: str) -> str:
    return f"{STUDENTS}/{student_id}"


def describe(response) -> str:
    return f"{response.request.method} {response.url} -> {response.status_code} {response.text[:500]!r}"


def assert_json(response, status: int):
    """Status, JSON content type, and the parsed body."""
    assert response.status_code == status, describe(response)
    content_type = response.headers.get("Content-Type", "")
    assert content_type.split(";")[0].strip().lower() == "application/json", \
        f"Content-Type {content_type!r}: {describe(response)}"
    return response.json()


def parse_rfc3339(text: str) -> dt.datetime:
    assert isinstance(text, str) and RFC3339_UTC_RE.match(text), f"not RFC 3339 UTC: {text!r}"
    # Python 3.11 fromisoformat accepts up to 6 fractional digits; trim nanoseconds.
    main, _, frac = text[:-1].partition(".")
    frac = (frac + "000000")[:6] if frac else "000000"
    return dt.datetime.fromisoformat(f"{main}.{frac}+00:00")


def assert_student(body, first_name=None, last_name=None, grade=None):
    assert isinstance(body, dict), body
    assert set(body) == STUDENT_KEYS, f"keys {sorted(body)}"
    assert isinstance(body["id"], int) and not isinstance(body["id"], bool) and body["id"] > 0, body
    assert STUDENT_ID_RE.match(body["student_id"]), body["student_id"]
    parse_rfc3339(body["created_at"])
    parse_rfc3339(body["updated_at"])
    assert isinstance(body["grade"], int) and not isinstance(body["grade"], bool), body
    if first_name is not None:
        assert body["first_name"] == first_name
    if last_name is not None:
        assert body["last_name"] == last_name
    if grade is not None:
        assert body["grade"] == grade


def validation_errors(response) -> list[dict]:
    """The detail list of a 422, each entry checked for loc/msg/type."""
    body = assert_json(response, 422)
    assert isinstance(body, dict) and isinstance(body.get("detail"), list), body
    assert body["detail"], body
    for entry in body["detail"]:
        assert isinstance(entry, dict), entry
        assert isinstance(entry.get("loc"), list), entry
        assert isinstance(entry.get("msg"), str), entry
        assert isinstance(entry.get("type"), str), entry
    return body["detail"]


def assert_single_error(response, loc, type_, msg=None):
    errors = validation_errors(response)
    assert len(errors) == 1, f"expected one error, got {json.dumps(errors)}"
    error = errors[0]
    assert error["loc"] == list(loc), error
    assert error["type"] == type_, error
    expected_msg = msg if msg is not None else MSG.get(type_)
    if expected_msg is not None:
        assert error["msg"] == expected_msg, error
    return error


def error_pairs(errors) -> list[tuple[tuple, str]]:
    return sorted((tuple(e["loc"]), e["type"]) for e in errors)


def list_all(api, page: int = 1000) -> list[dict]:
    """Every student, paging through GET /api/v1/students with skip/limit."""
    students, skip = [], 0
    while True:
        items = assert_json(api.get(STUDENTS, params={"skip": skip, "limit": page}), 200)
        assert isinstance(items, list), items
        students.extend(items)
        if len(items) < page:
            return students
        skip += page


def assert_schema_missing_is_named(srv) -> None:
    """The README's promise: not ready, and requests 503 naming `sre-playground migrate`."""
    api = srv.client()
    expected = {"status": "not ready",
                "reason": "database schema missing: run `sre-playground migrate`"}

    # Live comes first; the schema check runs right after in the background, and until it has
    # answered, readiness names the startup instead (a loaded machine shows it for a moment).
    def named():
        ready = api.get("/health/ready")
        assert ready.status_code == 503, ready.text
        assert ready.json() == expected, ready.text
        return True
    harness.poll(named, timeout=10, interval=0.05, what="readiness naming the missing schema")
    for answer in (api.get("/api/v1/students"),
                   api.post("/api/v1/students", json={"first_name": "A", "last_name": "B",
                                                      "grade": 1})):
        assert answer.status_code == 503, answer.text
        assert answer.headers["Retry-After"] == "1"
        assert answer.json() == {"detail": "Database schema missing: run `sre-playground migrate`"}
