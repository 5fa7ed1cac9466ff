"""Students CRUD: shapes, Location, paging, PUT/PATCH/DELETE, timestamps."""
from __future__ import annotations

import datetime as dt

import pytest

from checks import (STUDENTS, assert_json, assert_single_error, assert_student, list_all,
                    parse_rfc3339, student_path)


def test_create_returns_201_location_and_shape(api):
    before = dt.datetime.now(dt.timezone.utc)
    response = api.post(STUDENTS, json={"first_name": "Grace", "last_name": "Hopper",
                                        "grade": 12})
    after = dt.datetime.now(dt.timezone.utc)
    body = assert_json(response, 201)
    assert_student(body, "Grace", "Hopper", 12)
    assert response.headers.get("Location") == student_path(body["student_id"])
    created = parse_rfc3339(body["created_at"])
    slack = dt.timedelta(seconds=5)
    assert before - slack <= created <= after + slack, (before, created, after)
    assert parse_rfc3339(body["updated_at"]) >= created


def test_create_then_get_returns_same_student(api, new_student):
    created = new_student("Alan", "Turing", 1)
    fetched = assert_json(api.get(student_path(created["student_id"])), 200)
    assert fetched == created


def test_location_header_resolves(api):
    response = api.post(STUDENTS, json={"first_name": "Loc", "last_name": "Ation", "grade": 2})
    assert response.status_code == 201
    fetched = api.get(response.headers["Location"])
    assert assert_json(fetched, 200) == response.json()


def test_ids_and_student_ids_are_unique_and_increasing(new_student):
    students = [new_student(f"U{i}", "Nique", 5) for i in range(5)]
    ids = [s["id"] for s in students]
    assert ids == sorted(ids) and len(set(ids)) == 5, ids
    assert len({s["student_id"] for s in students}) == 5


@pytest.mark.parametrize("first,last", [
    ("José", "Müller"), ("李", "小龙"), ("😀" * 100, "x"), ("a" * 100, "b" * 100),
    ("O'Brien", "Robert'); DROP TABLE students;--"), ("in ner", "x-y"),
    ('quote"back\\slash', "semi;colon,comma"), ("<b>html</b>", "&amp;")])
def test_string_values_round_trip_exactly(api, new_student, first, last):
    created = new_student(first, last, 6)
    assert created["first_name"] == first and created["last_name"] == last
    fetched = assert_json(api.get(student_path(created["student_id"])), 200)
    assert fetched["first_name"] == first and fetched["last_name"] == last


@pytest.mark.parametrize("grade", [1, 12])
def test_grade_bounds_accepted(new_student, grade):
    assert new_student(grade=grade)["grade"] == grade


def test_unknown_body_fields_are_ignored(api):
    response = api.post(STUDENTS, json={"first_name": "Ex", "last_name": "Tra", "grade": 4,
                                        "id": 999999, "student_id": "STU-FFFFFFFF",
                                        "created_at": "1999-01-01T00:00:00Z", "nick": "x"})
    body = assert_json(response, 201)
    assert_student(body, "Ex", "Tra", 4)
    assert body["student_id"] != "STU-FFFFFFFF" and body["id"] != 999999
    assert not body["created_at"].startswith("1999")


def test_get_unknown_student_is_404(api):
    response = api.get(student_path("STU-00000000"))
    assert assert_json(response, 404) == {"detail": "Student not found"}


@pytest.mark.parametrize("student_id", ["not-an-id", "STU-abcdef12", "STU-123", "12345"])
def test_get_malformed_student_id_is_404(api, student_id):
    response = api.get(student_path(student_id))
    assert response.status_code == 404, response.text
    assert response.json()["detail"] in ("Student not found", "Not Found")


# ---------------------------------------------------------------------------------------------
# List


def test_list_is_ordered_by_id_and_complete(api, new_student):
    mine = [new_student(f"L{i}", "Ist", 3) for i in range(3)]
    everyone = list_all(api)
    ids = [s["id"] for s in everyone]
    assert ids == sorted(ids) and len(ids) == len(set(ids)), "list not ordered by id ascending"
    by_id = {s["student_id"]: s for s in everyone}
    for student in mine:
        assert by_id.get(student["student_id"]) == student
    for student in everyone:
        assert_student(student)


def test_list_skip_and_limit_page_consistently(api, new_student):
    for i in range(6):
        new_student(f"P{i}", "Age", 8)
    everyone = list_all(api)
    total = len(everyone)
    assert total >= 6
    for skip, limit in [(0, 1), (1, 2), (2, 3), (total - 2, 5), (0, 1000)]:
        page = assert_json(api.get(STUDENTS, params={"skip": skip, "limit": limit}), 200)
        assert page == everyone[skip:skip + limit], f"skip={skip} limit={limit}"
    # Ordering is stable: the same page twice gives the same result.
    first = api.get(STUDENTS, params={"skip": 1, "limit": 3}).json()
    second = api.get(STUDENTS, params={"skip": 1, "limit": 3}).json()
    assert first == second


def test_list_skip_past_end_is_empty(api):
    assert assert_json(api.get(STUDENTS, params={"skip": 10_000_000}), 200) == []


def test_list_default_limit_is_100(api, new_student):
    total = len(list_all(api))
    for i in range(max(0, 101 - total)):
        new_student(f"D{i}", "Efault", 9)
    everyone = list_all(api)
    assert len(everyone) > 100
    default = assert_json(api.get(STUDENTS), 200)
    assert default == everyone[:100]
    only_skip = assert_json(api.get(STUDENTS, params={"skip": 1}), 200)
    assert only_skip == everyone[1:101]


def test_list_limit_bounds_are_exact(api):
    """README: `limit` 1..1000. With over 1,000 students, limit=1 answers exactly the first
    and limit=1000 exactly the first thousand (limit=1001 is a 422, in test_validation.py)."""
    for i in range(max(0, 1001 - len(list_all(api)))):
        assert api.post(STUDENTS, json={"first_name": f"L{i}", "last_name": "Bound",
                                        "grade": 1 + i % 12}).status_code == 201
    everyone = list_all(api, page=500)
    assert len(everyone) > 1000
    assert assert_json(api.get(STUDENTS, params={"limit": 1}), 200) == everyone[:1]
    assert assert_json(api.get(STUDENTS, params={"limit": 1000}), 200) == everyone[:1000]
    assert assert_json(api.get(STUDENTS, params={"skip": 1000, "limit": 1000}), 200) \
        == everyone[1000:2000]


def test_list_ignores_unknown_query_parameters(api):
    assert api.get(STUDENTS, params={"limit": 2, "foo": "bar"}).json() == \
        api.get(STUDENTS, params={"limit": 2}).json()


# ---------------------------------------------------------------------------------------------
# PUT / PATCH / DELETE


def test_put_replaces_all_fields_and_bumps_updated_at(api, new_student):
    created = new_student("Old", "Name", 3)
    response = api.put(student_path(created["student_id"]),
                       json={"first_name": "New", "last_name": "Person", "grade": 11})
    updated = assert_json(response, 200)
    assert_student(updated, "New", "Person", 11)
    assert updated["id"] == created["id"] and updated["student_id"] == created["student_id"]
    assert updated["created_at"] == created["created_at"]
    assert parse_rfc3339(updated["updated_at"]) > parse_rfc3339(created["updated_at"])
    assert assert_json(api.get(student_path(created["student_id"])), 200) == updated


@pytest.mark.parametrize("missing", ["first_name", "last_name", "grade"])
def test_put_requires_every_field(api, new_student, missing):
    created = new_student()
    body = {"first_name": "A", "last_name": "B", "grade": 5}
    del body[missing]
    response = api.put(student_path(created["student_id"]), json=body)
    assert_single_error(response, ["body", missing], "missing")
    assert api.get(student_path(created["student_id"])).json() == created


def test_put_unknown_student_is_404(api):
    response = api.put(student_path("STU-00000000"),
                       json={"first_name": "A", "last_name": "B", "grade": 5})
    assert assert_json(response, 404) == {"detail": "Student not found"}


@pytest.mark.parametrize("patch", [{"first_name": "Only"}, {"last_name": "Changed"},
                                   {"grade": 10}, {"first_name": "Two", "grade": 2}])
def test_patch_changes_only_given_fields(api, new_student, patch):
    created = new_student("Keep", "These", 6)
    response = api.patch(student_path(created["student_id"]), json=patch)
    updated = assert_json(response, 200)
    expected = {**created, **patch}
    for key in ("id", "student_id", "first_name", "last_name", "grade", "created_at"):
        assert updated[key] == expected[key], key
    assert parse_rfc3339(updated["updated_at"]) > parse_rfc3339(created["updated_at"])
    assert assert_json(api.get(student_path(created["student_id"])), 200) == updated


def test_patch_empty_object_changes_nothing(api, new_student):
    created = new_student("Same", "Old", 4)
    updated = assert_json(api.patch(student_path(created["student_id"]), json={}), 200)
    for key in ("id", "student_id", "first_name", "last_name", "grade", "created_at"):
        assert updated[key] == created[key], key


def test_patch_unknown_student_is_404(api):
    response = api.patch(student_path("STU-00000000"), json={"grade": 3})
    assert assert_json(response, 404) == {"detail": "Student not found"}


def test_patch_invalid_value_leaves_student_unchanged(api, new_student):
    created = new_student("Stay", "Put", 7)
    response = api.patch(student_path(created["student_id"]),
                         json={"first_name": "Fine", "grade": 99})
    assert response.status_code == 422
    assert api.get(student_path(created["student_id"])).json() == created


def test_delete_then_404_everywhere(api, new_student):
    created = new_student("Gone", "Soon", 1)
    path = student_path(created["student_id"])
    response = api.delete(path)
    assert response.status_code == 204, response.text
    assert response.content == b""
    assert assert_json(api.get(path), 404) == {"detail": "Student not found"}
    assert assert_json(api.delete(path), 404) == {"detail": "Student not found"}
    assert api.put(path, json={"first_name": "A", "last_name": "B", "grade": 1}).status_code == 404
    assert api.patch(path, json={"grade": 2}).status_code == 404
    assert created["student_id"] not in {s["student_id"] for s in list_all(api)}


def test_delete_does_not_reuse_ids(api, new_student):
    """The newest student deleted, the next one must not get its `id` back (SQLite reuses
    the largest rowid without AUTOINCREMENT; paging ORDER BY id relies on ids only growing).
    A student_id is 32 random bits, so its check is weak by nature: collisions are forced in
    test_store_contract.py."""
    created = new_student()
    assert api.delete(student_path(created["student_id"])).status_code == 204
    again = new_student()
    assert again["id"] > created["id"]
    assert again["student_id"] != created["student_id"]


@pytest.mark.parametrize("value", ["new\nline", "tab\there", "cr\rhere", "nul\u0000byte"])
def test_control_characters_inside_names_are_refused(api, value):
    """A name is printable text: control characters are refused (our rule beyond pydantic's),
    so they never reach the database, exports or terminals."""
    response = api.post(STUDENTS, json={"first_name": value, "last_name": "Ctl", "grade": 2})
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "first_name"]
    assert error["type"] == "string_pattern_mismatch"
