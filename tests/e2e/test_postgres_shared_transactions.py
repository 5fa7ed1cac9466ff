"""Requests that share a transaction on PostgreSQL (src/store/postgres/pg_connection.h): the
reads and the key-less creates that arrive on one turn of an I/O thread's event loop go to the
server with one Sync, so one implicit transaction, one write, one flush of answers and one
commit. What users care about is asserted against a real server: every request still gets its
own right answer, every 201 is a stored student, the sharing really happens
(db_requests_per_sync), and one statement's error fails no other request: the requests it
undid are sent again alone.

To put many requests on one turn of the loop, the API is stopped (SIGSTOP) while they are
written, then continued: its next epoll_wait returns them all at once."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from contextlib import contextmanager

import harness
import postgres as pg
from checks import STUDENTS

BURST = 12


def metric_histogram(metrics_text: str, name: str) -> tuple[dict[str, float], float]:
    """The buckets (by `le`) and the count of an unlabelled histogram."""
    buckets = {labels["le"]: value for labels, value in harness.metric_series(
        metrics_text, name + "_bucket")}
    return buckets, harness.metric_value(metrics_text, name + "_count")


@contextmanager
def stopped(process_id: int):
    """The API frozen for the block's duration (its sockets keep receiving)."""
    os.kill(process_id, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(process_id, signal.SIGCONT)


def burst(srv, requests: list[bytes]) -> list[harness.RawConnection]:
    """A connection per request, each request written while the API is stopped, in order."""
    connections = [srv.raw(timeout=20) for _ in requests]
    for connection in connections:
        # Accepted and served once: connections accepted after the stop would be taken one
        # per turn of the loop, and their requests with them.
        connection.send(get("/health/live"))
        assert connection.read_response().status == 200
    # Every connection parked by the sweep (every 100 ms), so each request takes the same steps
    # to its query: a parked connection's request starts one turn later than a busy one's.
    time.sleep(0.35)
    with stopped(srv.process.popen.pid):
        for connection, request in zip(connections, requests):
            connection.send(request)
            time.sleep(0.005)  # the API's epoll reports sockets in the order they became ready
        time.sleep(0.2)  # every request in the API's socket buffers before it runs again
    return connections


def get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: t\r\n\r\n".encode()


def post_student(first_name: str) -> bytes:
    body = json.dumps({"first_name": first_name, "last_name": "Shared", "grade": 5}).encode()
    return (f"POST {STUDENTS} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def syncs_and_shared(metrics_text: str) -> tuple[float, float]:
    """How many Syncs were sent, and how many of them carried more than 4 requests."""
    buckets, count = metric_histogram(metrics_text, "db_requests_per_sync")
    return count, count - buckets["4"]


def start_api(start_server, url: str):
    # One I/O thread with one database connection: every read of a burst meets on it. The
    # response cache is off, so every GET is a SELECT.
    return start_server(env={"DATABASE_URL": url, "WORKER_THREADS": "1", "DB_POOL_SIZE": "1",
                             "CACHE_TTL_SECONDS": "0", "EVENTS_ENABLED": "false"})


def test_reads_of_one_loop_turn_share_one_sync_and_each_gets_its_answer(start_server,
                                                                       new_database):
    srv = start_api(start_server, new_database())
    api = srv.client()
    students = [api.post(STUDENTS, json={"first_name": f"Reader{i}", "last_name": "Shared",
                                         "grade": 1 + i}).json() for i in range(BURST)]
    syncs_before, shared_before = syncs_and_shared(api.get("/metrics").text)

    connections = burst(srv, [get(f"{STUDENTS}/{s['student_id']}") for s in students])
    for connection, student in zip(connections, students):
        response = connection.read_response(timeout=20)
        assert response.status == 200, response.body
        assert json.loads(response.body) == student  # its own row, not a neighbour's
        connection.close()

    syncs, shared = (after - before for after, before in zip(
        syncs_and_shared(api.get("/metrics").text), (syncs_before, shared_before)))
    # 12 reads on one turn: at least one Sync carried more than 4 of them (measured: one Sync
    # for all 12). Without sharing every Sync carries one request.
    assert shared >= 1, f"{syncs} Syncs for {BURST} reads, none shared by more than 4"
    assert syncs < BURST, f"{syncs} Syncs for {BURST} reads"


def names_in_database(postgres, database: str, last_name: str = "Shared") -> list[str]:
    return sorted(row[0] for row in postgres.query(
        database, f"SELECT first_name FROM students WHERE last_name = '{last_name}'"))


def test_creates_of_one_loop_turn_share_one_commit_and_each_201_is_stored(start_server, postgres,
                                                                          new_database):
    url = new_database()
    database = url.rsplit("/", 1)[1]
    srv = start_api(start_server, url)
    api = srv.client()
    syncs_before, shared_before = syncs_and_shared(api.get("/metrics").text)

    names = [f"Writer{i:02d}" for i in range(BURST)]
    connections = burst(srv, [post_student(name) for name in names])
    answered = []
    for connection in connections:
        response = connection.read_response(timeout=20)
        assert response.status == 201, response.body
        answered.append(json.loads(response.body))
        connection.close()

    assert sorted(s["first_name"] for s in answered) == names
    assert names_in_database(postgres, database) == names  # every 201 committed
    syncs, shared = (after - before for after, before in zip(
        syncs_and_shared(api.get("/metrics").text), (syncs_before, shared_before)))
    assert shared >= 1, f"{syncs} Syncs for {BURST} creates, none shared by more than 4"


def test_requests_undone_by_a_neighbours_error_are_sent_again_alone(start_server, postgres,
                                                                      new_database):
    """One create in the middle of a shared transaction fails (a trigger refuses it with
    query_canceled, as a statement timeout would). PostgreSQL rolls back the creates before it,
    though their rows had come back, and skips the reads after it, which come back with no
    rows. Neither may be answered as it stands (a 201 for a student not stored, a 404 for one
    who exists): they are sent again alone. Then every 201 is a stored student, every read
    finds its student, and only the refused create fails (503, not stored)."""
    url = new_database()
    database = url.rsplit("/", 1)[1]
    srv = start_api(start_server, url)
    api = srv.client()
    existing = api.post(STUDENTS, json={"first_name": "Existing", "last_name": "Reader",
                                        "grade": 3}).json()
    postgres.psql(database, """
        CREATE FUNCTION refuse_poison() RETURNS trigger AS $$
        BEGIN
          IF NEW.first_name = 'Poison' THEN
            RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'query_canceled';
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql;
        CREATE TRIGGER refuse_poison BEFORE INSERT ON students
          FOR EACH ROW EXECUTE FUNCTION refuse_poison();""")
    resent_before = harness.metric_value(api.get("/metrics").text, "db_requests_resent_total")

    names = [f"Writer{i:02d}" for i in range(8)]
    requests = ([post_student(name) for name in names[:4]] + [post_student("Poison")]
                + [get(f"{STUDENTS}/{existing['student_id']}")] * 4
                + [post_student(name) for name in names[4:]])
    connections = burst(srv, requests)
    answers = []
    request_ids = set()
    for connection in connections:
        response = connection.read_response(timeout=20)
        answers.append((response.status, json.loads(response.body)))
        request_ids.add(response.header("X-Request-ID"))
        connection.close()

    creates = answers[:4] + answers[9:]
    assert [status for status, _ in creates] == [201] * 8, creates
    assert answers[4][0] == 503, answers[4]
    assert answers[5:9] == [(200, existing)] * 4
    assert names_in_database(postgres, database) == names  # each 201 stored, Poison not
    resent = harness.metric_value(api.get("/metrics").text, "db_requests_resent_total")
    # The creates before Poison and the reads after it: 8, if all 13 shared one transaction.
    assert resent - resent_before >= 1
    # Each one sent again says so in the log, with the request's id.
    resent_line = srv.wait_for_log(
        lambda r: r.get("msg") == "database request sent again alone", timeout=5)
    assert resent_line["request_id"] in request_ids


def test_creates_that_come_while_a_commit_is_in_flight_wait_and_share_the_next(
        start_server, postgres, new_database):
    """Group commit: while a group of creates is in flight, the creates that come after it (here
    on different turns of the loop, 20 ms apart) are held in the next group and sent when the
    first one commits, all in one transaction. The table is locked meanwhile, so the first
    group stays in flight for as long as the test needs."""
    url = new_database()
    database = url.rsplit("/", 1)[1]
    srv = start_api(start_server, url)
    api = srv.client()
    _, shared_before = syncs_and_shared(api.get("/metrics").text)
    holder = subprocess.Popen(
        [pg._pg_bin("psql"), "-X", "-q", "-h", str(postgres.socket_dir), "-p", str(postgres.port),
         "-U", pg.USER, "-d", database, "-f", "-"], stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    holder.stdin.write("BEGIN; LOCK TABLE students IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(1.5);"
                       " COMMIT;\n")
    holder.stdin.close()
    try:
        harness.poll(lambda: postgres.query(
            database, "SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' "
            "AND relation = 'students'::regclass") != [["0"]], 10, what="the table lock")
        first = srv.raw(timeout=20)
        first.send(post_student("First"))
        harness.poll(lambda: postgres.query(
            database, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            f"AND datname = '{database}' AND application_name = 'sre-playground'") != [["0"]],
            10, what="the first create waiting for the lock")
        names = [f"Later{i:02d}" for i in range(BURST)]
        later = []
        for name in names:
            connection = srv.raw(timeout=20)
            connection.send(post_student(name))
            later.append(connection)
            time.sleep(0.02)
    finally:
        holder.wait(timeout=20)

    for connection in [first, *later]:
        response = connection.read_response(timeout=20)
        assert response.status == 201, response.body
        connection.close()
    assert names_in_database(postgres, database) == sorted(["First", *names])
    _, shared = syncs_and_shared(api.get("/metrics").text)
    # The 12 later creates in one Sync (more than 4; measured: all 12 in one).
    assert shared - shared_before >= 1
