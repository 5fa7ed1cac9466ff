"""Reads that share a Sync on PostgreSQL (src/store/postgres/pg_connection.h): the reads that
arrive on one turn of an I/O thread's event loop go to the server with one Sync, so one
implicit transaction, one write and one flush of answers. What users care about is asserted
against a real server: every read still gets its own right answer, the sharing really happens
(db_requests_per_sync), and one read's error does not fail the reads it shared a transaction
with: they are sent again alone.

To put many reads on one turn of the loop, the API is stopped (SIGSTOP) while the requests
are written, then continued: its next epoll_wait returns them all at once."""
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


def burst_of_gets(srv, paths: list[str]) -> list[harness.RawConnection]:
    """A connection per path, each with one GET written while the API is stopped."""
    connections = [srv.raw(timeout=20) for _ in paths]
    with stopped(srv.process.popen.pid):
        for connection, path in zip(connections, paths):
            connection.send(f"GET {path} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
        time.sleep(0.2)  # every request in the API's socket buffers before it runs again
    return connections


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
    before_buckets, before_count = metric_histogram(api.get("/metrics").text,
                                                    "db_requests_per_sync")

    connections = burst_of_gets(srv, [f"{STUDENTS}/{s['student_id']}" for s in students])
    for connection, student in zip(connections, students):
        response = connection.read_response(timeout=20)
        assert response.status == 200, response.body
        assert json.loads(response.body) == student  # its own row, not a neighbour's
        connection.close()

    buckets, count = metric_histogram(api.get("/metrics").text, "db_requests_per_sync")
    syncs = count - before_count
    shared = syncs - (buckets["4"] - before_buckets["4"])
    # 12 reads on one turn: at least one Sync carried more than 4 of them (measured: one Sync
    # for all 12). Without sharing every Sync carries one request.
    assert shared >= 1, f"{syncs} Syncs for {BURST} reads, none shared by more than 4"
    assert syncs < BURST, f"{syncs} Syncs for {BURST} reads"


def test_a_read_aborted_by_a_neighbours_error_is_sent_again_alone(start_server, postgres,
                                                                    new_database):
    """The first read of a shared transaction is cancelled (pg_cancel_backend, as an operator
    would): PostgreSQL skips the rest of that transaction. The cancelled request gets 503 (kind
    timeout: query_canceled), and every other read is sent again alone and answered 200."""
    url = new_database()
    srv = start_api(start_server, url)
    api = srv.client()
    student = api.post(STUDENTS, json={"first_name": "Locked", "last_name": "Out", "grade": 4})
    assert student.status_code == 201
    path = f"{STUDENTS}/{student.json()['student_id']}"
    database = url.rsplit("/", 1)[1]

    # A transaction holding an exclusive lock on students: every read queues behind it.
    holder = subprocess.Popen(
        [pg._pg_bin("psql"), "-X", "-q", "-h", str(postgres.socket_dir), "-p", str(postgres.port),
         "-U", pg.USER, "-d", database, "-f", "-"], stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    holder.stdin.write("BEGIN; LOCK TABLE students IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(2);"
                       " COMMIT;\n")
    holder.stdin.flush()
    try:
        harness.poll(lambda: postgres.query(
            database, "SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' "
            "AND relation = 'students'::regclass") != [["0"]], 10, what="the table lock")
        connections = burst_of_gets(srv, [path] * BURST)
        waiting = f"SELECT pid FROM pg_stat_activity WHERE application_name = 'sre-playground' " \
                  f"AND datname = '{database}' AND wait_event_type = 'Lock'"
        harness.poll(lambda: postgres.query(database, waiting) != [], 10,
                     what="the API's read waiting for the lock")
        postgres.query(database, f"SELECT pg_cancel_backend(pid) FROM ({waiting}) w")
    finally:
        holder.stdin.close()
        holder.wait(timeout=20)

    statuses = []
    for connection in connections:
        response = connection.read_response(timeout=20)
        statuses.append(response.status)
        if response.status == 200:
            assert json.loads(response.body) == student.json()
        else:
            assert response.status == 503, response.body
            assert response.header("Retry-After") == "1"
        connection.close()
    assert sorted(statuses) == [200] * (BURST - 1) + [503], statuses
    metrics = api.get("/metrics").text
    assert harness.metric_value(metrics, "db_reads_resent_total") >= 1
    assert harness.metric_value(metrics, "db_errors_total", {"kind": "timeout"}) == 1
