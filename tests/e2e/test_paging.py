"""Keyset (cursor) paging of GET /api/v1/students: `?after=<student_id>&limit=` and the
RFC 8288 `Link: <...>; rel="next"` header, against the real binary (the suite runs on SQLite
and again on PostgreSQL in `make test`)."""
from __future__ import annotations

import threading

import pytest

from checks import STUDENTS, assert_json, assert_single_error, list_all, student_path


def next_link(response) -> str | None:
    """The `next` target of the Link header (requests parses RFC 8288), or None."""
    if "Link" not in response.headers:
        return None
    return response.links["next"]["url"]


def walk(api, limit: int, first: str | None = None) -> tuple[list[dict], int]:
    """Every student, following `next` links from `first` (default: the first page)."""
    url = first or f"{STUDENTS}?limit={limit}"
    students, pages = [], 0
    while url is not None:
        response = api.get(url)
        page = assert_json(response, 200)
        assert len(page) <= limit, url
        students.extend(page)
        pages += 1
        url = next_link(response)
        if url is not None:
            assert page, f"an empty page links a next one: {url}"
            assert url == f"{STUDENTS}?after={page[-1]['student_id']}&limit={limit}", url
    return students, pages


def test_a_cursor_walk_gives_every_student_once_in_list_order(api, new_student):
    for i in range(7):
        new_student(f"W{i}", "Alk", 4)
    everyone = list_all(api)
    for limit in (1000, 7, 3):
        walked, pages = walk(api, limit)
        assert [s["student_id"] for s in walked] == [s["student_id"] for s in everyone], limit
        assert walked == everyone, limit
        assert pages == -(-len(everyone) // limit), f"limit {limit}: {pages} pages"


def test_a_page_holds_each_student_byte_for_byte_as_its_own_get_answers_it(api, new_student):
    """A page is rendered from the store's result without copying its rows first: its items
    must still be exactly the bodies of GET /students/{id}, escapes and UTF-8 included."""
    first = new_student("Before", "Page", 1)
    names = [("Zoë", 'O"Brien', 2), ("Back\\slash", "Ünïcödé 学生", 3), ("Ada", "Lovelace", 4)]
    created = [new_student(*name) for name in names]
    page = api.get(STUDENTS, params={"after": first["student_id"], "limit": len(created)})
    assert page.status_code == 200
    bodies = [api.get(student_path(s["student_id"])).text for s in created]
    assert page.text == "[" + ",".join(bodies) + "]"
    assert [(s["first_name"], s["last_name"], s["grade"]) for s in page.json()] == names


def test_the_last_page_has_no_link_even_when_exactly_full(api, new_student):
    new_student()
    everyone = list_all(api)
    total = len(everyone)
    response = api.get(STUDENTS, params={"after": everyone[total - 4]["student_id"], "limit": 3})
    assert assert_json(response, 200) == everyone[total - 3:]
    assert "Link" not in response.headers
    after_last = api.get(STUDENTS, params={"after": everyone[-1]["student_id"], "limit": 3})
    assert assert_json(after_last, 200) == []
    assert "Link" not in after_last.headers


def test_skip_pages_link_the_next_page_in_cursor_form(api, new_student):
    for _ in range(3):
        new_student()
    everyone = list_all(api)
    response = api.get(STUDENTS, params={"skip": 1, "limit": 2})
    assert assert_json(response, 200) == everyone[1:3]
    assert next_link(response) == f"{STUDENTS}?after={everyone[2]['student_id']}&limit=2"
    assert assert_json(api.get(next_link(response)), 200) == everyone[3:5]
    default = api.get(STUDENTS)
    assert next_link(default) == (f"{STUDENTS}?after={everyone[99]['student_id']}&limit=100"
                                  if len(everyone) > 100 else None)
    last = api.get(STUDENTS, params={"skip": len(everyone) - 2, "limit": 2})
    assert len(assert_json(last, 200)) == 2 and "Link" not in last.headers


def test_students_created_during_a_walk_neither_repeat_nor_hide_earlier_ones(api, server):
    """A writer keeps creating students while a reader walks small pages: every student that
    existed before the walk appears exactly once, and nothing appears twice."""
    for i in range(30):
        assert api.post(STUDENTS, json={"first_name": f"C{i}", "last_name": "Oncurrent",
                                        "grade": 3}).status_code == 201
    before = [s["student_id"] for s in list_all(api)]
    stop = threading.Event()
    created: list[str] = []

    def keep_creating():
        writer = server.client()
        try:
            while not stop.is_set():
                response = writer.post(STUDENTS, json={"first_name": "During", "last_name": "Walk",
                                                       "grade": 5})
                assert response.status_code == 201, response.text
                created.append(response.json()["student_id"])
        finally:
            writer.close()

    writer = threading.Thread(target=keep_creating)
    writer.start()
    try:
        walked, _ = walk(api, 17)
    finally:
        stop.set()
        writer.join(timeout=30)
    ids = [s["student_id"] for s in walked]
    assert created, "the writer created nothing during the walk"
    assert len(ids) == len(set(ids)), "a student appeared twice"
    assert ids[:len(before)] == before, "an earlier student was skipped or moved"
    assert set(ids[len(before):]) <= set(created)
    ordered = [s["id"] for s in walked]
    assert ordered == sorted(ordered)


def test_a_cursor_whose_student_was_deleted_is_refused_not_an_empty_page(api, new_student):
    kept, gone = new_student(), new_student()
    assert api.delete(student_path(gone["student_id"])).status_code == 204
    response = api.get(STUDENTS, params={"after": gone["student_id"]})
    assert_single_error(response, ["query", "after"], "value_error")
    unknown = api.get(STUDENTS, params={"after": "STU-00000000"})
    assert_single_error(unknown, ["query", "after"], "value_error")
    assert assert_json(api.get(STUDENTS, params={"after": kept["student_id"]}), 200) == []


@pytest.mark.parametrize("after", ["", "STU-123", "stu-1a2b3c4d", "STU-1a2b3c4d", "STU-1A2B3C4DE",
                                   "1", "STU-1A2B3C4D%00", "STU-1A2B3C4G"])
def test_an_after_that_is_no_student_id_is_a_422(api, after):
    response = api.get(f"{STUDENTS}?after={after}&limit=5")
    assert_single_error(response, ["query", "after"], "string_pattern_mismatch")


@pytest.mark.parametrize("query", ["skip=0&after=STU-1A2B3C4D", "after=STU-1A2B3C4D&skip=3"])
def test_after_together_with_skip_is_a_422(api, query):
    assert_single_error(api.get(f"{STUDENTS}?{query}"), ["query", "after"], "value_error")


def test_after_with_a_bad_limit_reports_the_limit(api, new_student):
    student = new_student()
    response = api.get(STUDENTS, params={"after": student["student_id"], "limit": 0})
    assert_single_error(response, ["query", "limit"], "greater_than_equal")
