"""The transactional outbox and idempotent creates, on both stores, through a real process:
every student write leaves exactly one event row and one audit row, written in the student's
own transaction (a failing outbox insert takes the student with it), with the bodies the
README documents; an Idempotency-Key makes a retried POST answer the first student."""
from __future__ import annotations

import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest

from checks import STUDENTS, assert_json, student_path
from harness import metric_value, poll, raw_request

BODY = {"first_name": "Ada", "last_name": "Lovelace", "grade": 7}


class Database:
    """Reads (and, for fault injection, changes) the server's database from outside."""

    def __init__(self, srv, postgres=None, name=None):
        self.srv, self.postgres, self.name = srv, postgres, name

    def rows(self, sql: str) -> list[tuple]:
        if self.postgres is not None:
            return [tuple(row) for row in self.postgres.query(self.name, sql)]
        with sqlite3.connect(self.srv.data_dir / "sre-playground.db") as db:
            return [tuple(str(v) for v in row) for row in db.execute(sql).fetchall()]

    def execute(self, sql: str) -> None:
        if self.postgres is not None:
            self.postgres.psql(self.name, sql)
            return
        with sqlite3.connect(self.srv.data_dir / "sre-playground.db") as db:
            db.executescript(sql)


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, start_server):
    """start(env) -> (server, Database) on the parametrized store."""

    def start(env=None):
        env = dict(env or {})
        if request.param == "postgres":
            postgres = request.getfixturevalue("postgres")
            url = request.getfixturevalue("new_database")()
            env["DATABASE_URL"] = url
            srv = start_server(env=env)
            return srv, Database(srv, postgres, url.rsplit("/", 1)[1])
        srv = start_server(env=env)
        return srv, Database(srv)

    start.name = request.param
    return start


def events(db) -> list[dict]:
    return [json.loads(body) for (body,) in db.rows("SELECT body FROM outbox_events ORDER BY sequence")]


def audits(db) -> list[dict]:
    return [json.loads(body) for (body,) in db.rows("SELECT body FROM audit_records ORDER BY sequence")]


def test_every_write_leaves_one_event_and_one_audit_record(engine):
    srv, db = engine()
    api = srv.client()
    answer = api.post(STUDENTS, json=BODY, headers={"X-Request-ID": "req-create"})
    created = assert_json(answer, 201)
    sid = created["student_id"]
    assert_json(api.patch(student_path(sid), json={"grade": 8},
                          headers={"X-Request-ID": "req-patch"}), 200)
    assert api.delete(student_path(sid), headers={"X-Request-ID": "req-delete"}).status_code == 204

    sent = events(db)
    assert [e["event_type"] for e in sent] == ["student_created", "student_updated",
                                               "student_deleted"]
    first = sent[0]
    assert set(first) == {"event_id", "event_type", "data", "timestamp", "correlation_id",
                          "traceparent"}
    # The write's own span: the consumers of the event continue the request's trace.
    assert first["traceparent"] == answer.headers["traceparent"]
    assert first["data"] == {"student_id": sid, "name": "Ada Lovelace", "first_name": "Ada",
                             "last_name": "Lovelace", "grade": 7}
    assert first["correlation_id"] == "req-create"
    assert sent[1]["data"]["grade"] == 8 and sent[1]["data"]["previous"]["grade"] == 7
    assert sent[2]["data"]["grade"] == 8 and sent[2]["correlation_id"] == "req-delete"
    assert len({e["event_id"] for e in sent}) == 3
    # The event_id column is the body's, so consumers and the table agree.
    assert [row[0] for row in db.rows("SELECT event_id FROM outbox_events ORDER BY sequence")] \
        == [e["event_id"] for e in sent]

    records = audits(db)
    assert [r["action"] for r in records] == ["create", "update", "delete"]
    assert records[0]["details"] == {"before": None, "after": {
        "student_id": sid, "first_name": "Ada", "last_name": "Lovelace", "grade": 7}}
    assert records[1]["details"]["before"]["grade"] == 7
    assert records[1]["details"]["after"]["grade"] == 8
    assert records[2]["details"]["after"] is None
    assert [r["request_id"] for r in records] == ["req-create", "req-patch", "req-delete"]
    assert [r["traceparent"] for r in records] == [e["traceparent"] for e in sent]
    assert all(r["actor"] == "anonymous" and r["student_id"] == sid for r in records)

    # Nothing for writes that changed nothing.
    assert api.delete(student_path(sid)).status_code == 404
    assert api.put(student_path(sid), json=BODY).status_code == 404
    assert len(events(db)) == 3 and len(audits(db)) == 3


def test_an_outbox_insert_that_fails_takes_the_student_with_it(engine):
    srv, db = engine()
    api = srv.client()
    if engine.name == "postgres":
        db.execute("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                   "$$ BEGIN RAISE EXCEPTION 'outbox refused'; END $$; "
                   "CREATE TRIGGER refuse BEFORE INSERT ON audit_records "
                   "FOR EACH ROW EXECUTE FUNCTION refuse();")
    else:
        db.execute("CREATE TRIGGER refuse BEFORE INSERT ON audit_records "
                   "BEGIN SELECT RAISE(ABORT, 'outbox refused'); END;")
    answer = api.post(STUDENTS, json=BODY)
    assert answer.status_code >= 500, answer.text
    assert db.rows("SELECT count(*) FROM students") == [("0",)]
    assert db.rows("SELECT count(*) FROM outbox_events") == [("0",)]

    db.execute("DROP TRIGGER refuse ON audit_records;" if engine.name == "postgres"
               else "DROP TRIGGER refuse;")
    assert_json(api.post(STUDENTS, json=BODY), 201)
    assert db.rows("SELECT count(*) FROM students") == [("1",)]


def test_events_disabled_writes_no_outbox_rows(engine):
    srv, db = engine({"EVENTS_ENABLED": "false"})
    api = srv.client()
    sid = assert_json(api.post(STUDENTS, json=BODY), 201)["student_id"]
    assert_json(api.put(student_path(sid), json=BODY), 200)
    assert db.rows("SELECT count(*) FROM outbox_events") == [("0",)]
    assert db.rows("SELECT count(*) FROM audit_records") == [("0",)]


def test_the_same_key_and_body_replay_the_first_answer(engine):
    srv, db = engine()
    api = srv.client()
    first = api.post(STUDENTS, json=BODY, headers={"Idempotency-Key": "order-1"})
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    # A later change does not change what the key answers: the first answer, as it was.
    assert_json(api.patch(student_path(first.json()["student_id"]), json={"grade": 9}), 200)
    # Same fields, spelled differently: the same request.
    again = api.post(STUDENTS, data=json.dumps({"grade": 7, "last_name": "Lovelace",
                                                "first_name": "Ada"}, indent=2),
                     headers={"Idempotency-Key": "order-1", "Content-Type": "application/json"})
    assert again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"]

    other = api.post(STUDENTS, json={**BODY, "grade": 8}, headers={"Idempotency-Key": "order-1"})
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"]
    assert db.rows("SELECT count(*) FROM students") == [("1",)]
    assert db.rows("SELECT count(*) FROM outbox_events WHERE event_type = 'student_created'") \
        == [("1",)]
    assert db.rows("SELECT count(*) FROM idempotency_keys") == [("1",)]

    fresh = api.post(STUDENTS, json=BODY, headers={"Idempotency-Key": "order-2"})
    assert fresh.status_code == 201 and fresh.json()["student_id"] != first.json()["student_id"]


def test_concurrent_retries_with_one_key_create_one_student(engine):
    srv, db = engine({"WORKER_THREADS": "2"})

    def post(_):
        client = srv.client()
        try:
            answer = client.post(STUDENTS, json=BODY, headers={"Idempotency-Key": "burst"})
            return answer.status_code, answer.json()["student_id"]
        finally:
            client.close()

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(post, range(24)))
    assert {status for status, _ in answers} == {201}, answers
    assert len({sid for _, sid in answers}) == 1, answers
    assert db.rows("SELECT count(*) FROM students") == [("1",)]


def test_expired_idempotency_keys_are_pruned(engine, start_server):
    srv, db = engine()
    api = srv.client()
    for key in ("old", "new"):
        assert api.post(STUDENTS, json=BODY, headers={"Idempotency-Key": key}).status_code == 201
    # "old" was stored long before the default IDEMPOTENCY_KEY_TTL_SECONDS (24 h); the same
    # RFC 3339 text is a timestamptz on PostgreSQL and compares as text on SQLite.
    db.execute("UPDATE idempotency_keys SET stored_at = '2000-01-01T00:00:00.000000Z' "
               "WHERE key = 'old'")
    # Every instance prunes once it is ready, then once a minute: a second one on the same
    # database deletes the expired key and keeps the other.
    second = start_server(env={k: v for k, v in srv.env.items() if k != "PORT"})
    poll(lambda: db.rows("SELECT key FROM idempotency_keys") == [("new",)], timeout=10,
         what="only the unexpired key left")
    assert metric_value(second.client().get("/metrics").text,
                        "idempotency_keys_pruned_total") == 1
    # The key is free again: a new request under it creates a new student.
    reused = api.post(STUDENTS, json=BODY, headers={"Idempotency-Key": "old"})
    assert reused.status_code == 201 and "Idempotent-Replayed" not in reused.headers


@pytest.mark.parametrize("headers", [
    [("Idempotency-Key", "x" * 256)],
    [("Idempotency-Key", "has space")],
    [("Idempotency-Key", "a"), ("Idempotency-Key", "b")],
])
def test_malformed_idempotency_keys_are_refused(server, headers):
    body = json.dumps(BODY).encode()
    with server.raw() as connection:
        connection.send(raw_request("POST", STUDENTS, body=body,
                                    headers=[("Content-Type", "application/json"), *headers]))
        answer = connection.read_response()
    assert answer.status == 400, answer.body
    assert "Idempotency-Key" in answer.json()["detail"]
