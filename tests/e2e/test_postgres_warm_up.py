"""Readiness waits until every I/O thread has its own PostgreSQL connection open
(src/api/store_warm_up.h). Each thread's pool used to be created by the thread's first
query, so after a restart the first requests of each thread waited for a connect and the
preparation of every statement on a fresh backend (130 to 330 ms on a busy machine, seen as
the demo's load step breaching its latency objective)."""
from __future__ import annotations

import harness
from checks import assert_schema_missing_is_named

APPLICATION = "sre-playground"
THREADS = 4


def request_connections(postgres, database: str) -> int:
    """The API's request connections (the relay's and the outbox signal's are named apart)."""
    rows = postgres.query(database, "SELECT count(*) FROM pg_stat_activity "
                          f"WHERE datname = '{database}' AND application_name = '{APPLICATION}'")
    return int(rows[0][0])


def test_every_io_thread_has_an_open_connection_once_ready(start_server, postgres, new_database):
    url = new_database()
    database = url.rsplit("/", 1)[1]
    # One connection per thread: without the warm-up, only the thread that answered the
    # readiness probe would have opened one by now.
    srv = start_server(env={"DATABASE_URL": url, "WORKER_THREADS": str(THREADS),
                            "DB_POOL_SIZE": "1"})
    assert request_connections(postgres, database) == THREADS
    metrics = srv.client().get("/metrics").text
    open_connections = sum(harness.metric_value(metrics, "db_pool_connections", {"state": state})
                           for state in ("idle", "busy"))
    # Every thread's connection has prepared its statements; the relay's may be opening too.
    assert open_connections >= THREADS, metrics
    ready = srv.wait_for_log(lambda record: record.get("msg") == "ready", what="the ready line")
    assert ready["database"] == "postgresql"
    assert isinstance(ready["warm_up_ms"], int) and ready["warm_up_ms"] >= 0, ready


def test_a_failed_warm_up_is_logged_and_does_not_hold_readiness(start_server, new_database):
    # No schema and no migration: every thread's ping fails. The service must still leave
    # "starting", so that readiness names what is wrong.
    srv = start_server(env={"DATABASE_URL": new_database(), "AUTO_MIGRATE": "false",
                            "WORKER_THREADS": "2", "DB_POOL_SIZE": "1"}, wait_ready=False)
    assert_schema_missing_is_named(srv)
    for thread in (0, 1):
        line = srv.wait_for_log(lambda record, thread=thread: (
            record.get("msg") == "store warm-up ping failed" and record.get("io_thread") == thread),
            what=f"the failed warm-up of thread {thread}")
        assert line["level"] == "warn" and "schema" in line["error"].lower(), line
