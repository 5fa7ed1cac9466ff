"""422 validation errors (FastAPI/pydantic v2 shape), malformed bodies, 415."""
from __future__ import annotations

import json

import pytest

from checks import (MSG, STUDENTS, assert_json, assert_single_error, error_pairs, list_all,
                    student_path, validation_errors)

VALID = {"first_name": "Val", "last_name": "Id", "grade": 5}
JSON_HEADERS = {"Content-Type": "application/json"}


def with_(**changes):
    body = dict(VALID)
    for key, value in changes.items():
        if value is _DROP:
            body.pop(key)
        else:
            body[key] = value
    return body


_DROP = object()

# (field, value, expected type, expected msg or None for the table in checks.MSG)
FIELD_CASES = [
    ("first_name", _DROP, "missing", None),
    ("last_name", _DROP, "missing", None),
    ("grade", _DROP, "missing", None),
    ("first_name", 123, "string_type", None),
    ("first_name", None, "string_type", None),
    ("first_name", True, "string_type", None),
    ("first_name", ["a"], "string_type", None),
    ("first_name", {"a": "b"}, "string_type", None),
    ("last_name", 1.5, "string_type", None),
    ("first_name", "", "string_too_short", None),
    ("first_name", "   ", "string_too_short", None),
    ("last_name", "\t \n", "string_too_short", None),
    ("last_name", "", "string_too_short", None),
    ("first_name", "a" * 101, "string_too_long", None),
    ("last_name", "é" * 101, "string_too_long", None),
    ("last_name", "😀" * 101, "string_too_long", None),
    ("grade", "5", "int_type", None),
    ("grade", True, "int_type", None),
    ("grade", False, "int_type", None),
    ("grade", 10.5, "int_type", None),
    ("grade", None, "int_type", None),
    ("grade", [5], "int_type", None),
    ("grade", {"v": 5}, "int_type", None),
    ("grade", 0, "greater_than_equal", "Input should be greater than or equal to 1"),
    ("grade", -1, "greater_than_equal", "Input should be greater than or equal to 1"),
    ("grade", 13, "less_than_equal", "Input should be less than or equal to 12"),
    ("grade", 100, "less_than_equal", "Input should be less than or equal to 12"),
]


def case_id(case):
    field, value, type_, _ = case
    shown = "DROP" if value is _DROP else json.dumps(value, ensure_ascii=True)[:12]
    return f"{field}={shown}->{type_}"


@pytest.mark.parametrize("case", FIELD_CASES, ids=case_id)
def test_post_field_error(api, case):
    field, value, type_, msg = case
    response = api.post(STUDENTS, json=with_(**{field: value}))
    assert_single_error(response, ["body", field], type_, msg)


@pytest.mark.parametrize("case", FIELD_CASES, ids=case_id)
def test_put_field_error(api, new_student, case):
    field, value, type_, msg = case
    student = new_student()
    response = api.put(student_path(student["student_id"]), json=with_(**{field: value}))
    assert_single_error(response, ["body", field], type_, msg)


# PATCH: fields are optional, so "missing" does not apply; null for a string field is left
# out because "null means not given" is a legitimate reading of a partial update.
PATCH_CASES = [c for c in FIELD_CASES
               if c[1] is not _DROP and not (c[0] != "grade" and c[1] is None)]


@pytest.mark.parametrize("case", PATCH_CASES, ids=case_id)
def test_patch_field_error(api, new_student, case):
    field, value, type_, msg = case
    student = new_student()
    response = api.patch(student_path(student["student_id"]), json={field: value})
    assert_single_error(response, ["body", field], type_, msg)
    assert api.get(student_path(student["student_id"])).json() == student


def test_strings_of_exactly_100_code_points_are_accepted(api):
    body = with_(first_name="é" * 100, last_name="😀" * 100)
    assert api.post(STUDENTS, json=body).status_code == 201


def test_one_entry_per_bad_field(api):
    response = api.post(STUDENTS, json={"first_name": "", "last_name": 5, "grade": 13})
    errors = validation_errors(response)
    assert error_pairs(errors) == sorted([(("body", "first_name"), "string_too_short"),
                                          (("body", "last_name"), "string_type"),
                                          (("body", "grade"), "less_than_equal")])
    for error in errors:
        if error["type"] in MSG:
            assert error["msg"] == MSG[error["type"]], error


def test_empty_object_reports_all_three_missing(api):
    errors = validation_errors(api.post(STUDENTS, json={}))
    assert error_pairs(errors) == sorted([(("body", "first_name"), "missing"),
                                          (("body", "last_name"), "missing"),
                                          (("body", "grade"), "missing")])
    assert all(e["msg"] == "Field required" for e in errors)


def test_put_two_bad_fields(api, new_student):
    student = new_student()
    errors = validation_errors(api.put(student_path(student["student_id"]),
                                       json={"first_name": "ok", "grade": "x"}))
    assert error_pairs(errors) == sorted([(("body", "last_name"), "missing"),
                                          (("body", "grade"), "int_type")])


def test_patch_two_bad_fields(api, new_student):
    student = new_student()
    errors = validation_errors(api.patch(student_path(student["student_id"]),
                                         json={"last_name": "", "grade": 0}))
    assert error_pairs(errors) == sorted([(("body", "last_name"), "string_too_short"),
                                          (("body", "grade"), "greater_than_equal")])


def test_rejected_create_stores_nothing(api):
    count = len(list_all(api))
    assert api.post(STUDENTS, json=with_(grade=13)).status_code == 422
    assert api.post(STUDENTS, json={}).status_code == 422
    assert len(list_all(api)) == count


# ---------------------------------------------------------------------------------------------
# Query parameters

QUERY_CASES = [
    ({"limit": "abc"}, "limit", "int_parsing", MSG["int_parsing"]),
    ({"limit": "1.5"}, "limit", "int_parsing", MSG["int_parsing"]),
    ({"limit": ""}, "limit", "int_parsing", MSG["int_parsing"]),
    ({"skip": "x"}, "skip", "int_parsing", MSG["int_parsing"]),
    ({"skip": "1e3"}, "skip", "int_parsing", MSG["int_parsing"]),
    ({"limit": "0"}, "limit", "greater_than_equal", "Input should be greater than or equal to 1"),
    ({"limit": "-5"}, "limit", "greater_than_equal", "Input should be greater than or equal to 1"),
    ({"limit": "1001"}, "limit", "less_than_equal",
     "Input should be less than or equal to 1000"),
    ({"skip": "-1"}, "skip", "greater_than_equal", "Input should be greater than or equal to 0"),
]


@pytest.mark.parametrize("params,field,type_,msg", QUERY_CASES,
                         ids=[f"{c[0]}" for c in QUERY_CASES])
def test_query_parameter_error(api, params, field, type_, msg):
    response = api.get(STUDENTS, params=params)
    assert_single_error(response, ["query", field], type_, msg)


def test_two_bad_query_parameters(api):
    errors = validation_errors(api.get(STUDENTS, params={"skip": "-3", "limit": "many"}))
    assert error_pairs(errors) == sorted([(("query", "skip"), "greater_than_equal"),
                                          (("query", "limit"), "int_parsing")])


@pytest.mark.parametrize("params", [{"skip": str(10**30)}, {"limit": str(10**30)},
                                    {"skip": str(-10**30)}, {"skip": "9223372036854775808"}])
def test_huge_query_numbers_are_not_500(api, params):
    response = api.get(STUDENTS, params=params)
    assert response.status_code in (200, 422), response.text
    if "limit" in params or params["skip"].startswith("-"):
        field = next(iter(params))
        errors = validation_errors(response)
        assert errors[0]["loc"] == ["query", field], errors


# ---------------------------------------------------------------------------------------------
# Malformed bodies


@pytest.mark.parametrize("raw", [b'{"first_name": ', b"{", b"not json", b'{"a":1,}',
                                 b"{'first_name': 'x'}", b'{"grade": 01}', b"\x00",
                                 b'{"first_name":"x"} trailing', b'{"a":"\x01"}'],
                         ids=["truncated", "open-brace", "word", "trailing-comma",
                              "single-quotes", "leading-zero", "nul", "trailing-garbage",
                              "raw-control-char"])
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_malformed_json_is_json_invalid(api, new_student, method, raw):
    path = STUDENTS if method == "POST" else student_path(new_student()["student_id"])
    response = api.request(method, path, data=raw, headers=JSON_HEADERS)
    error = assert_single_error(response, ["body"], "json_invalid", msg=None)
    assert error["msg"].startswith("JSON decode error"), error


@pytest.mark.parametrize("raw", [b"[]", b'[{"first_name":"a","last_name":"b","grade":1}]',
                                 b'"a string"', b"42", b"true", b"null", b"3.5"],
                         ids=["empty-array", "array", "string", "number", "bool", "null",
                              "float"])
def test_non_object_body(api, raw):
    response = api.post(STUDENTS, data=raw, headers=JSON_HEADERS)
    assert_single_error(response, ["body"], "model_attributes_type", msg=None)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [40, 100, 10_000, 200_000])
def test_deep_nesting_is_json_invalid(api, depth):
    raw = '{"first_name":"a","last_name":"b","grade":1,"extra":' + nested(depth) + "}"
    assert len(raw) < 1024 * 1024
    response = api.post(STUDENTS, data=raw.encode(), headers=JSON_HEADERS)
    assert_single_error(response, ["body"], "json_invalid", msg=None)


def test_deep_nesting_of_objects_is_json_invalid(api):
    raw = '{"first_name":"a","last_name":"b","grade":1,"extra":' + '{"a":' * 100 + "1" + \
        "}" * 100 + "}"
    response = api.post(STUDENTS, data=raw.encode(), headers=JSON_HEADERS)
    assert_single_error(response, ["body"], "json_invalid", msg=None)


def test_top_level_deep_nesting_is_json_invalid(api):
    response = api.post(STUDENTS, data=nested(100).encode(), headers=JSON_HEADERS)
    assert_single_error(response, ["body"], "json_invalid", msg=None)


def test_shallow_nesting_in_unknown_field_is_fine(api):
    raw = '{"first_name":"a","last_name":"b","grade":1,"extra":' + nested(10) + "}"
    response = api.post(STUDENTS, data=raw.encode(), headers=JSON_HEADERS)
    assert response.status_code == 201, response.text


# ---------------------------------------------------------------------------------------------
# Content type


UNSUPPORTED = {"detail": "Unsupported Media Type: expected application/json"}


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/xml",
                                          "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", "text/json",
                                          "application/jsonx", ""])
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_wrong_or_missing_content_type_is_415(api, new_student, method, content_type):
    path = STUDENTS if method == "POST" else student_path(new_student()["student_id"])
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = api.request(method, path, data=json.dumps(VALID).encode(), headers=headers)
    if content_type is None:
        assert "Content-Type" not in response.request.headers
    assert assert_json(response, 415) == UNSUPPORTED


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8",
                                          "application/json;charset=UTF-8",
                                          "application/merge-patch+json",
                                          "application/vnd.api+json",
                                          "Application/JSON"])
def test_json_content_type_variants_are_accepted(api, content_type):
    response = api.post(STUDENTS, data=json.dumps(VALID).encode(),
                        headers={"Content-Type": content_type})
    assert response.status_code == 201, response.text


def test_415_with_invalid_body_is_still_415(api):
    response = api.post(STUDENTS, data=b"garbage", headers={"Content-Type": "text/plain"})
    assert assert_json(response, 415) == UNSUPPORTED


# ---------------------------------------------------------------------------------------------
# Unicode in names


@pytest.mark.parametrize("name", ["A\u0080B", "A\u009b[31mB", "A\u009fB", "A\u2028B", "A\u2029B",
                                  "A\ufffeB", "A\uffffB", "A\ufdd0B"],
                         ids=["c1-0080", "c1-csi-009b", "c1-009f", "line-separator",
                              "paragraph-separator", "fffe", "ffff", "fdd0"])
def test_controls_separators_and_noncharacters_in_names_are_refused(api, name):
    response = api.post(STUDENTS, json={**VALID, "first_name": name})
    assert_single_error(response, ["body", "first_name"], "string_pattern_mismatch", msg=None)


@pytest.mark.parametrize("blank", ["\u00a0", "\u3000", "\u2003", "\u200b", "\ufeff",
                                   "\u00a0\u3000 \u2003\u200b\ufeff"],
                         ids=["nbsp", "ideographic", "em-space", "zero-width", "bom", "mixed"])
def test_names_of_unicode_spaces_only_are_empty(api, blank):
    response = api.post(STUDENTS, json={**VALID, "last_name": blank})
    assert_single_error(response, ["body", "last_name"], "string_too_short", msg=None)


def test_unicode_spaces_around_a_name_are_trimmed(api):
    response = api.post(STUDENTS, json={**VALID, "first_name": "\u3000Zo\u00eb\u00a0Li\u200b "})
    assert assert_json(response, 201)["first_name"] == "Zo\u00eb\u00a0Li"


# ---------------------------------------------------------------------------------------------
# Repeated query parameters: every value is validated, the last one counts (as in FastAPI)


@pytest.mark.parametrize("query", ["limit=2&limit=abc", "limit=abc&limit=2",
                                   "limit=2&limit=5000", "skip=-1&skip=0"])
def test_every_value_of_a_repeated_parameter_is_validated(api, query):
    response = api.get(f"{STUDENTS}?{query}")
    errors = validation_errors(response)
    assert len(errors) == 1 and errors[0]["loc"][0] == "query", errors


def test_the_last_value_of_a_repeated_parameter_counts(api, new_student):
    for _ in range(3):
        new_student()
    assert len(assert_json(api.get(f"{STUDENTS}?limit=3&limit=1"), 200)) == 1
    assert len(assert_json(api.get(f"{STUDENTS}?limit=1&limit=3"), 200)) == 3
