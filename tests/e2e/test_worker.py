"""The worker (`sre-playground worker`) against a real API, on SQLite and PostgreSQL.

Without SQS (the default) the worker reads the outbox table itself: these tests start nothing
but the API and the worker. They check what users would see: the per-grade counts of
GET /api/v1/stats/grades equal the students the API holds, one welcome per new student, the
audit log newest first; and what must survive: events delivered again (no double counting), a
malformed event (set aside, the worker goes on), a SIGKILL mid-batch (fault 2: the counts stay
exact after a restart), two workers on one PostgreSQL.
"""
from __future__ import annotations

import collections
import random
import signal
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

import harness
from checks import STUDENTS, assert_json, student_path

STATS = "/api/v1/stats/grades"


class Stack:
    """An API, the database behind it (for direct reads), and the workers started on it."""

    def __init__(self, store, server, tmp_path, sre_binary, postgres=None, database=None):
        self.store = store
        self.server = server
        self.api = server.client()
        self.tmp_path = tmp_path
        self.binary = sre_binary
        self.postgres = postgres
        self.database = database  # PostgreSQL: (name, url)
        self.workers: list[harness.Worker] = []

    def worker_env(self, extra=None) -> dict:
        env = ({"DATABASE_URL": self.database[1]} if self.store == "postgres"
               else {"DATA_DIR": str(self.server.data_dir)})
        env.update(extra or {})
        return env

    def start_worker(self, env=None, name="worker", wait_ready=True) -> harness.Worker:
        worker = harness.start_worker(self.tmp_path, env=self.worker_env(env),
                                      binary=self.binary, name=name, wait_ready=wait_ready)
        self.workers.append(worker)
        return worker

    def sql(self, query: str) -> list[tuple]:
        if self.store == "postgres":
            return [tuple(row) for row in self.postgres.query(self.database[0], query)]
        path = self.server.data_dir / "sre-playground.db"
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10) as connection:
            return [tuple(str(v) for v in row) for row in connection.execute(query)]

    def scalar(self, query: str) -> int:
        return int(self.sql(query)[0][0])

    # what the API says --------------------------------------------------------------------------
    def create(self, grade: int, first="Ada", last="Lovelace") -> dict:
        return assert_json(self.api.post(STUDENTS, json={"first_name": first, "last_name": last,
                                                         "grade": grade}), 201)

    def students_per_grade(self) -> dict[int, int]:
        students = assert_json(self.api.get(STUDENTS, params={"limit": 1000}), 200)
        return dict(collections.Counter(s["grade"] for s in students))

    def stats(self) -> dict:
        return assert_json(self.api.get(STATS), 200)

    def counted_per_grade(self) -> dict[int, int]:
        return {g["grade"]: g["students"] for g in self.stats()["grades"]}

    def wait_until_counts_match(self, welcomes: int, timeout: float = 30.0) -> dict:
        expected = self.students_per_grade()

        def matches():
            stats = self.stats()
            counted = {g["grade"]: g["students"] for g in stats["grades"]}
            return stats if (counted == expected and stats["welcome_notifications"] == welcomes
                             and stats["total_students"] == sum(expected.values())) else None
        try:
            return harness.poll(matches, timeout, interval=0.1, what="the worker's counts")
        except TimeoutError as error:
            raise AssertionError(f"{error}: expected {expected} and {welcomes} welcomes, "
                                 f"counted {self.stats()}") from None

    def stop(self):
        for worker in self.workers:
            worker.stop()
        self.api.close()


@pytest.fixture(params=["sqlite", "postgres"])
def stack(request, start_server, tmp_path, sre_binary):
    postgres = database = None
    env = {}
    if request.param == "postgres":
        postgres = request.getfixturevalue("postgres")
        url = request.getfixturevalue("new_database")()
        database = (url.rsplit("/", 1)[1], url)
        env["DATABASE_URL"] = url
    stack = Stack(request.param, start_server(env=env), tmp_path, sre_binary, postgres, database)
    yield stack
    stack.stop()


@pytest.fixture
def sqlite_stack(start_server, tmp_path, sre_binary):
    stack = Stack("sqlite", start_server(), tmp_path, sre_binary)
    yield stack
    stack.stop()


def change_students(stack: Stack, count: int, seed: int) -> int:
    """Creates `count` students, moves some to another grade, renames some in place, deletes
    some; returns how many were created."""
    rng = random.Random(seed)
    created = [stack.create(rng.randint(1, 12), f"First{i}", f"Last{i}") for i in range(count)]
    for student in created[: count // 3]:
        path = student_path(student["student_id"])
        assert_json(stack.api.patch(path, json={"grade": student["grade"] % 12 + 1}), 200)
    for student in created[count // 3: count // 2]:
        assert_json(stack.api.patch(student_path(student["student_id"]),
                                    json={"last_name": "Renamed"}), 200)
    for student in created[count // 2: count // 2 + count // 4]:
        assert stack.api.delete(student_path(student["student_id"])).status_code == 204
    return count


def test_the_counts_follow_creates_updates_and_deletes(stack):
    worker = stack.start_worker()
    created = change_students(stack, 40, seed=1)
    stats = stack.wait_until_counts_match(welcomes=created)
    assert [g["grade"] for g in stats["grades"]] == sorted(g["grade"] for g in stats["grades"])
    assert all(g["students"] > 0 for g in stats["grades"])
    # Every event processed once, nothing pending, each welcome names its student.
    events = stack.scalar("SELECT count(*) FROM outbox_events")
    assert events == created + created // 3 + (created // 2 - created // 3) + created // 4
    harness.poll(lambda: stack.scalar(
        "SELECT count(*) FROM outbox_events WHERE delivered_at IS NULL") == 0, 10,
        what="every outbox row delivered")
    assert stack.scalar("SELECT count(*) FROM processed_events") == events
    assert worker.events("processed") == events
    assert worker.events("processed", "student_created") == created
    assert worker.events("duplicate") == 0 and worker.events("failed") == 0
    message = stack.sql("SELECT message FROM welcome_notifications LIMIT 1")[0][0]
    assert message.startswith("Welcome to grade ")
    # The lag histogram saw every processed event.
    assert harness.metric_value(worker.metrics(), "worker_event_lag_seconds_count") == events


def test_events_delivered_again_change_nothing(sqlite_stack):
    stack = sqlite_stack
    worker = stack.start_worker()
    created = change_students(stack, 12, seed=2)
    stack.wait_until_counts_match(welcomes=created)
    events = stack.scalar("SELECT count(*) FROM outbox_events")
    harness.poll(lambda: worker.events("processed") == events, 10, what="all processed")
    worker.stop()
    # As if every acknowledgement had been lost: all rows pending again.
    database = stack.server.data_dir / "sre-playground.db"
    with sqlite3.connect(database, timeout=10) as connection:
        connection.execute("UPDATE outbox_events SET delivered_at = NULL, lease_until = NULL")
    again = stack.start_worker(name="worker-again")
    harness.poll(lambda: again.events("duplicate") == events, 20, what="every event seen again")
    assert again.events("processed") == 0
    stack.wait_until_counts_match(welcomes=created)


def test_a_malformed_event_is_set_aside_and_the_worker_goes_on(sqlite_stack):
    stack = sqlite_stack
    worker = stack.start_worker()
    database = stack.server.data_dir / "sre-playground.db"
    with sqlite3.connect(database, timeout=10) as connection:
        connection.execute(
            "INSERT INTO outbox_events (event_id, event_type, student_id, body, created_at) "
            "VALUES ('not-an-event', 'student_created', 'STU-00000000', '{\"event_id\": 42', "
            "'2026-11-30T08:00:00.000000Z')")
    stack.create(7)
    stack.wait_until_counts_match(welcomes=1)
    harness.poll(lambda: worker.events("malformed", "unknown") == 1, 10, what="malformed counted")
    reason = stack.sql("SELECT undeliverable_reason FROM outbox_events "
                       "WHERE event_id = 'not-an-event'")[0][0]
    assert "malformed" in reason
    # Still consuming: the next change is counted too.
    stack.create(8)
    stack.wait_until_counts_match(welcomes=2)
    assert requests.get(worker.url("/health/ready"), timeout=5).status_code == 200


def test_killed_mid_batch_and_restarted_the_counts_stay_exact(stack):
    """Fault 2: SIGKILL while the worker is applying a backlog, then a restart."""
    created = 0
    with ThreadPoolExecutor(max_workers=8) as pool:
        rng = random.Random(3)
        grades = [rng.randint(1, 12) for _ in range(400)]
        for student in pool.map(lambda g: stack.create(g), grades):
            created += 1
            if created % 4 == 0:
                assert_json(stack.api.patch(student_path(student["student_id"]),
                                            json={"grade": student["grade"] % 12 + 1}), 200)
            elif created % 7 == 0:
                assert stack.api.delete(student_path(student["student_id"])).status_code == 204
    events = stack.scalar("SELECT count(*) FROM outbox_events")
    # Kill until one kill lands inside a batch: some of its events applied, none of them yet
    # marked delivered (a kill between two batches proves nothing). Each restart goes on.
    applied = delivered = 0
    for attempt in range(6):
        worker = stack.start_worker({"WORKER_BATCH_SIZE": "10"}, name=f"worker-{attempt}")
        harness.poll(lambda: worker.events("processed") >= 25, 30, interval=0.005,
                     what="the worker well into the backlog")
        worker.kill()
        applied = stack.scalar("SELECT count(*) FROM processed_events")
        delivered = stack.scalar(
            "SELECT count(*) FROM outbox_events WHERE delivered_at IS NOT NULL")
        if applied != delivered:
            break
    assert applied != delivered, f"no kill landed mid-batch in {attempt + 1} tries"
    assert applied > delivered, (f"events marked delivered before they were applied: {applied} "
                                 f"applied, {delivered} delivered")
    assert applied < events, "the kill should land mid-backlog"

    stack.start_worker({"WORKER_BATCH_SIZE": "10"}, name="worker-restarted")
    stack.wait_until_counts_match(welcomes=created, timeout=60)
    assert stack.scalar("SELECT count(*) FROM processed_events") == events
    assert stack.scalar("SELECT count(*) FROM welcome_notifications") == created


def test_two_workers_on_one_postgresql_count_each_event_once(start_server, tmp_path, sre_binary,
                                                             postgres, new_database):
    url = new_database()
    stack = Stack("postgres", start_server(env={"DATABASE_URL": url}), tmp_path, sre_binary,
                  postgres, (url.rsplit("/", 1)[1], url))
    try:
        first = stack.start_worker({"WORKER_BATCH_SIZE": "5"}, name="worker-a")
        second = stack.start_worker({"WORKER_BATCH_SIZE": "5"}, name="worker-b")
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda i: stack.create(1 + i % 12), range(200)))
        stack.wait_until_counts_match(welcomes=200)
        processed = first.events("processed") + second.events("processed")
        assert processed == 200
        # Both took part, and neither applied an event the other had applied.
        assert first.events("processed") > 0 and second.events("processed") > 0
    finally:
        stack.stop()


def test_audit_log_newest_first(sqlite_stack):
    stack = sqlite_stack
    student = stack.create(7)
    path = student_path(student["student_id"])
    assert_json(stack.api.patch(path, json={"grade": 8}, headers={"X-Request-ID": "req-upd"}),
                200)
    assert stack.api.delete(path).status_code == 204
    audit = assert_json(stack.api.get(path + "/audit"), 200)
    assert audit["student_id"] == student["student_id"]
    records = audit["records"]
    assert [r["action"] for r in records] == ["delete", "update", "create"]
    update = records[1]
    assert update["details"]["before"]["grade"] == 7 and update["details"]["after"]["grade"] == 8
    assert update["request_id"] == "req-upd"
    assert records[0]["details"]["after"] is None and records[2]["details"]["before"] is None
    assert records[0]["timestamp"] >= records[1]["timestamp"] >= records[2]["timestamp"]
    limited = assert_json(stack.api.get(path + "/audit", params={"limit": 1}), 200)
    assert [r["action"] for r in limited["records"]] == ["delete"]
    assert assert_json(stack.api.get(student_path("STU-00000000") + "/audit"), 200)["records"] == []
    for bad in ("0", "1001", "x"):
        body = assert_json(stack.api.get(path + "/audit", params={"limit": bad}), 422)
        assert body["detail"][0]["loc"] == ["query", "limit"]


def test_sigterm_stops_after_the_batch_in_hand(sqlite_stack):
    stack = sqlite_stack
    worker = stack.start_worker()
    stack.create(5)
    stack.wait_until_counts_match(welcomes=1)
    worker.process.send_signal(signal.SIGTERM)
    assert worker.process.wait(timeout=15) == 0
    log = worker.process.log_text()
    assert '"msg":"stopped consuming events"' in log and '"msg":"stopped"' in log
