"""The cross-process wake-up of outbox commits on PostgreSQL (LISTEN/NOTIFY): a worker reading
the outbox table starts on a new row at once instead of at its next poll, and keeps doing so
after PostgreSQL restarts under it.

The worker polls every WORKER_POLL_INTERVAL_MS (here a minute), so an event applied within a
few seconds can only have been woken by the API's signal. This test owns its PostgreSQL
server (it restarts it), separate from the session one."""
from __future__ import annotations

import time

import pytest

import harness
import postgres as pg
from checks import STUDENTS, assert_json

STATS = "/api/v1/stats/grades"
POLL_MS = "60000"
# Far below the minute of polling; generous for a loaded 2-core machine (a wake-up is one
# NOTIFY round trip and one claim, milliseconds when the machine is idle).
WOKEN_WITHIN_SECONDS = 5.0


@pytest.fixture
def own_postgres():
    server = pg.PostgresServer.start()
    yield server
    server.stop()


def series(text: str, name: str) -> float:
    """The value of an unlabelled series, which must be present."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} is not exported")


def welcomes(api) -> int:
    return assert_json(api.get(STATS), 200)["welcome_notifications"]


def create_and_time_until_applied(api, expected_welcomes: int) -> float:
    started = time.monotonic()
    assert_json(api.post(STUDENTS, json={"first_name": "Ada", "last_name": "Lovelace",
                                         "grade": 4}), 201)
    harness.poll(lambda: welcomes(api) == expected_welcomes, WOKEN_WITHIN_SECONDS, interval=0.02,
                 what="the worker applying the new student's event")
    return time.monotonic() - started


def test_a_worker_is_woken_by_the_apis_commit_and_again_after_postgres_restarts(
        start_server, tmp_path, sre_binary, own_postgres):
    url = own_postgres.create_database("signal")
    server = start_server(env={"DATABASE_URL": url})
    api = server.client()
    worker = harness.start_worker(tmp_path, env={"DATABASE_URL": url,
                                                 "WORKER_POLL_INTERVAL_MS": POLL_MS},
                                  binary=sre_binary, name="worker")
    try:
        harness.poll(lambda: series(worker.metrics(), "outbox_signal_listening") == 1, 10,
                     what="the worker listening")
        # The worker's first claim found nothing: from here on only a signal wakes it early.
        time.sleep(0.5)
        first = create_and_time_until_applied(api, 1)
        assert series(worker.metrics(), "outbox_signals_received_total") >= 1
        assert series(server.client().get("/metrics").text, "outbox_signals_sent_total") >= 1

        own_postgres.restart()
        harness.poll(lambda: series(worker.metrics(), "outbox_signal_listening") == 1, 30,
                     what="the worker listening again after the restart")
        harness.poll(lambda: api.get("/health/ready").status_code == 200, 30,
                     what="the API ready again")
        # The API's own signal connection must be back too, or its commit goes unannounced.
        harness.poll(lambda: series(api.get("/metrics").text, "outbox_signal_listening") == 1,
                     30, what="the API's signal connection back")
        time.sleep(0.5)
        second = create_and_time_until_applied(api, 2)
        print(f"applied {first * 1000:.0f} ms and {second * 1000:.0f} ms after the POST "
              f"(poll interval {POLL_MS} ms)")
    finally:
        worker.stop()
        api.close()
