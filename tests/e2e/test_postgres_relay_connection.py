"""The outbox relay's statements on PostgreSQL (claims, deliveries, the backlog gauges' counts
every 2 s, pruning) run on a connection of their own (src/store/postgres/pg_student_store.h).
A count or a prune scans a whole table; on a request connection, whose statements are
pipelined, every request sent after one waited for it. Here the backlog count is made to wait on
a lock for as long as the test likes, and requests must still be answered."""
from __future__ import annotations

import subprocess

import harness
import postgres as pg
from checks import STUDENTS

APPLICATION = "sre-playground"


def waiting_statements(postgres, database: str) -> list[list[str]]:
    """(application_name, query) of the API's statements that wait for a lock."""
    return postgres.query(
        database, "SELECT application_name, query FROM pg_stat_activity "
        f"WHERE datname = '{database}' AND wait_event_type = 'Lock' "
        f"AND application_name LIKE '{APPLICATION}%'")


def test_a_backlog_count_stuck_on_a_lock_holds_up_no_request(start_server, postgres,
                                                             new_database):
    url = new_database()
    database = url.rsplit("/", 1)[1]
    # One I/O thread with one request connection: a statement stuck on that connection would
    # hold up every request. The statement timeout is longer than the client's patience.
    srv = start_server(env={"DATABASE_URL": url, "WORKER_THREADS": "1", "DB_POOL_SIZE": "1",
                            "CACHE_TTL_SECONDS": "0", "DB_STATEMENT_TIMEOUT_MS": "60000"})
    api = srv.client()
    student = api.post(STUDENTS, json={"first_name": "Ada", "last_name": "Upkeep",
                                       "grade": 3}).json()
    holder = subprocess.Popen(
        [pg._pg_bin("psql"), "-X", "-q", "-h", str(postgres.socket_dir), "-p", str(postgres.port),
         "-U", pg.USER, "-d", database, "-f", "-"], stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    try:
        holder.stdin.write("BEGIN; LOCK TABLE outbox_events IN ACCESS EXCLUSIVE MODE;\n")
        holder.stdin.flush()
        stuck = harness.poll(lambda: [row for row in waiting_statements(postgres, database)
                                      if "outbox_events" in row[1]], 10,
                             what="the backlog count waiting for the lock")
        # Reads, and readiness (which pings the database), answered while the count waits.
        for _ in range(3):
            response = api.get(f"{STUDENTS}/{student['student_id']}", timeout=10)
            assert response.status_code == 200 and response.json() == student
            page = api.get(STUDENTS, params={"limit": 5}, timeout=10)
            assert page.status_code == 200 and page.json() == [student]
            assert api.get("/health/ready", timeout=10).status_code == 200
        assert waiting_statements(postgres, database) == stuck, "the count stopped waiting"
        # On the relay's own connection.
        assert [row[0] for row in stuck] == [f"{APPLICATION} (relay)"], stuck
    finally:
        holder.stdin.close()  # psql ends, and the lock goes with its transaction
        holder.wait(timeout=10)
    # Once the lock is gone, the count runs and the gauge is right.
    harness.poll(lambda: harness.metric_value(api.get("/metrics").text, "outbox_pending",
                                              {"topic": "events"}) == 1,
                 10, what="the backlog gauge after the lock")
