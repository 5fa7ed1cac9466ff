"""200 concurrent creates: all 201, 200 unique ids, all persisted and listed."""
from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from checks import STUDENTS, STUDENT_ID_RE, assert_student, list_all, student_path

CREATES = 200
WORKERS = 50


def test_200_concurrent_creates(api, server):
    barrier = threading.Barrier(WORKERS, timeout=30)
    url = server.url(STUDENTS)

    def create(i: int):
        if i < WORKERS:
            barrier.wait()  # the first wave starts at the same moment
        with requests.Session() as session:  # one connection per request
            response = session.post(url, json={"first_name": f"Conc{i}", "last_name": "Urrent",
                                               "grade": i % 12 + 1}, timeout=30)
        return i, response.status_code, response.text, response.headers.get("Location")

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(create, range(CREATES)))

    failures = [(i, status, text[:200]) for i, status, text, _ in results if status != 201]
    assert not failures, f"{len(failures)} creates failed, e.g. {failures[:5]}"
    bodies = {}
    for i, _, text, location in results:
        body = json.loads(text)
        assert_student(body, f"Conc{i}", "Urrent", i % 12 + 1)
        assert location == student_path(body["student_id"])
        bodies[body["student_id"]] = body
    assert len(bodies) == CREATES, "student_id collision among concurrent creates"
    assert len({b["id"] for b in bodies.values()}) == CREATES, "id collision"
    assert all(STUDENT_ID_RE.match(s) for s in bodies)

    listed = {s["student_id"]: s for s in list_all(api)}
    missing = [sid for sid in bodies if sid not in listed]
    assert not missing, f"{len(missing)} created students missing from the list"
    for sid, body in bodies.items():
        assert listed[sid] == body


def test_concurrent_updates_to_one_student_stay_consistent(api, server, new_student):
    student = new_student("Race", "Condition", 1)
    url = server.url(student_path(student["student_id"]))

    def update(i: int):
        with requests.Session() as session:
            if i % 2:
                response = session.patch(url, json={"grade": i % 12 + 1}, timeout=30)
            else:
                response = session.put(url, json={"first_name": f"P{i}", "last_name": "Q",
                                                  "grade": i % 12 + 1}, timeout=30)
        return response.status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(update, range(60)))
    assert statuses == [200] * 60, statuses
    final = api.get(student_path(student["student_id"])).json()
    assert_student(final)
    assert final["id"] == student["id"] and final["created_at"] == student["created_at"]
