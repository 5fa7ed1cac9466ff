"""PostgreSQL failing for real under the API: killed with SIGKILL in the middle of a write
load, and not there yet when the API starts. What users care about is asserted: requests
fail fast with 503 + Retry-After (no hang, no 500, no crash), readiness follows the database,
the service recovers by itself, and no acknowledged (201) student is lost.

These tests own their PostgreSQL server (they kill it), separate from the session one."""
from __future__ import annotations

import os
import signal
import subprocess
import threading
import time

import pytest
import requests

import harness
import postgres as pg
from checks import STUDENTS

STATEMENT_TIMEOUT_MS = 2000
# "503 at once" when PostgreSQL is killed: the broken connection fails the statement in flight
# and the pool refuses new ones while it reconnects, so no request waits on the database.
# Asserted twice: the median 503 is answered within AT_ONCE_SECONDS (measured: a few ms; the
# bound allows for this shared 2-core machine, where other builds push the load average past
# 20 and delay any answer by a few hundred ms), and no request took as long as the statement
# timeout, which is what a request waiting on the database would take (slowest measured
# under a load average of 28: 0.50 s).
AT_ONCE_SECONDS = 0.25
NO_WAIT_SECONDS = STATEMENT_TIMEOUT_MS / 1000
# Backends frozen: the driver gives up a silent connection one second after the statement
# timeout (1 s in that test), plus the same scheduling noise.
FROZEN_DEADLINE_SECONDS = 1.0 + 1.0 + 1.0
# Reconnect backoff is capped at 1 s (README: "connections come back within the backoff cap";
# measured 0.2 to 0.3 s); readiness is polled every 50 ms, and the loaded machine adds up to
# a second.
RECONNECT_SECONDS = 1.0 + 1.0


@pytest.fixture
def own_postgres():
    server = pg.PostgresServer.start()
    yield server
    server.stop()


class WriteLoad:
    """Threads POSTing students as fast as they can; every answer is recorded."""

    def __init__(self, base_url: str, threads: int = 6):
        self.base_url = base_url
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.answers: list[tuple[float, int, float, dict, dict]] = []  # t, status, secs, hdrs, body
        self.errors: list[str] = []
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True)
                        for i in range(threads)]

    def _run(self, index: int) -> None:
        session = requests.Session()
        n = 0
        while not self.stop_event.is_set():
            n += 1
            started = time.monotonic()
            try:
                response = session.post(self.base_url + STUDENTS, timeout=15, json={
                    "first_name": f"Load{index}", "last_name": f"N{n}", "grade": 1 + n % 12})
            except requests.RequestException as error:
                with self.lock:
                    self.errors.append(repr(error))
                continue
            elapsed = time.monotonic() - started
            try:
                body = response.json()
            except ValueError:
                body = {"unparsable": response.text[:200]}
            with self.lock:
                self.answers.append((started, response.status_code, elapsed,
                                     dict(response.headers), body))
            if response.status_code == 503:
                time.sleep(0.05)  # a polite client backs off a little

    def start(self) -> "WriteLoad":
        for thread in self.threads:
            thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def statuses_since(self, t: float) -> list[int]:
        with self.lock:
            return [a[1] for a in self.answers if a[0] >= t]


def wait_for_status(url: str, status: int, timeout: float) -> float:
    """Seconds until GET url answers `status` (polled every 50 ms)."""
    started = time.monotonic()

    def check():
        try:
            return requests.get(url, timeout=2).status_code == status
        except requests.RequestException:
            return False
    harness.poll(check, timeout, interval=0.05, what=f"{url} -> {status}")
    return time.monotonic() - started


@pytest.mark.slow
def test_sigkill_during_write_load_loses_no_acknowledged_student(start_server, own_postgres):
    url = own_postgres.create_database("faults")
    # Four I/O threads, each with its own pool reconnecting at its own pace after the outage;
    # eight clients, so that every thread serves some of the load.
    srv = start_server(env={"DATABASE_URL": url, "WORKER_THREADS": "4", "DB_POOL_SIZE": "2",
                            "DB_STATEMENT_TIMEOUT_MS": str(STATEMENT_TIMEOUT_MS)})
    ready_url = srv.url("/health/ready")
    load = WriteLoad(srv.base_url, threads=8).start()
    try:
        time.sleep(1.5)
        assert 201 in load.statuses_since(0), "the load never got a 201 before the fault"

        own_postgres.kill()
        killed_at = time.monotonic()
        not_ready_after = wait_for_status(ready_url, 503, timeout=10)
        assert not_ready_after <= 2.0, f"ready stayed 200 for {not_ready_after:.2f}s after SIGKILL"
        time.sleep(2.0)  # the database stays down for a while under load
        during = load.statuses_since(killed_at + 0.5)
        assert 503 in during, f"no 503 while PostgreSQL was down: {set(during)}"

        own_postgres.launch()
        back_at = time.monotonic()
        ready_after = wait_for_status(ready_url, 200, timeout=15)
        assert ready_after <= RECONNECT_SECONDS, \
            f"not ready again {ready_after:.2f}s after PostgreSQL returned"
        harness.poll(lambda: 201 in load.statuses_since(back_at + ready_after), 5,
                     what="a 201 after recovery")
        # Ready means every thread can reach the database again, not just the one that took
        # the probe: no request started after readiness turned 200 is refused.
        time.sleep(1.0)
        after_ready = load.statuses_since(back_at + ready_after)
        assert set(after_ready) == {201}, \
            f"{after_ready.count(503)} of {len(after_ready)} requests refused after ready"
        print(f"\nready 503 after {not_ready_after:.2f}s; ready again {ready_after:.2f}s after "
              f"PostgreSQL accepted connections")
    finally:
        load.stop()

    assert srv.process.is_running(), "the API died"
    assert not load.errors, f"requests failed at the socket level: {load.errors[:5]}"
    statuses = {a[1] for a in load.answers}
    assert statuses <= {201, 503}, f"unexpected statuses: {statuses}"
    slowest = max(a[2] for a in load.answers)
    assert slowest < NO_WAIT_SECONDS, f"a request took {slowest:.2f}s: it waited on the database"
    refused = sorted(a[2] for a in load.answers if a[1] == 503)
    median = refused[len(refused) // 2]
    assert median <= AT_ONCE_SECONDS, f"the median 503 took {median:.3f}s, not at once"
    for _, status, _, headers, body in load.answers:
        if status == 503:
            assert headers.get("Retry-After") == "1", headers  # the README's figure
            assert body == {"detail": "Service temporarily unavailable"}, body

    acknowledged = {a[4]["student_id"] for a in load.answers if a[1] == 201}
    stored = {row[0] for row in own_postgres.query("faults", "SELECT student_id FROM students")}
    missing = acknowledged - stored
    assert not missing, f"{len(missing)} students answered 201 are not in the table: {sorted(missing)[:5]}"
    print(f"{len(acknowledged)} acknowledged, {len(stored)} stored, "
          f"{len(refused)} answered 503 (median {median * 1000:.0f} ms), slowest {slowest:.2f}s")

    metrics = requests.get(srv.url("/metrics"), timeout=5).text
    assert harness.metric_value(metrics, "dependency_unavailable_total",
                                {"dependency": "database"}) > 0
    assert harness.metric_value(metrics, "db_errors_total", {"kind": "connect"}) > 0
    srv.wait_for_log(lambda r: r.get("msg") == "dependency unavailable"
                     and r.get("dependency") == "database" and r.get("request_id"),
                     what="dependency unavailable log line with a request id")
    srv.wait_for_log(lambda r: r.get("msg") == "database connection lost",
                     what="database connection lost log line")


@pytest.mark.slow
def test_api_started_before_postgres_becomes_ready_when_it_appears(start_server, own_postgres):
    url = own_postgres.create_database("late")
    own_postgres.stop_server()
    srv = start_server(env={"DATABASE_URL": url}, wait_ready=False)
    srv.process.wait_for_url(srv.url("/health/live"), timeout=20)
    for _ in range(10):
        response = requests.get(srv.url("/health/ready"), timeout=5)
        assert response.status_code == 503, response.text
        time.sleep(0.1)
    response = requests.post(srv.url(STUDENTS), timeout=10,
                             json={"first_name": "Early", "last_name": "Bird", "grade": 2})
    assert response.status_code == 503, response.text
    assert response.headers.get("Retry-After") == "1"
    health = requests.get(srv.url("/health"), timeout=5)
    assert health.status_code == 503
    assert health.json()["checks"]["database"]["status"] == "unhealthy"

    own_postgres.launch()
    launched = time.monotonic()
    ready_after = wait_for_status(srv.url("/health/ready"), 200, timeout=15)
    # The migrating thread retries with the pool's backoff (capped at 1 s), then migrates.
    assert ready_after <= RECONNECT_SECONDS + 1.0, f"ready {ready_after:.2f}s after PostgreSQL came up"
    # Ready is answered by one I/O thread's pool; another thread's pool may still be in its
    # reconnect backoff (capped at 1 s), so a write may still get a 503 for that long. The
    # promise is recovery within 5 s for every request, which is what this measures.

    # Each POST is a new connection, so the kernel spreads them over the I/O threads.
    streak = {"201s in a row": 0}
    unexpected = []  # anything but 201 or 503 fails the test (poll() would swallow an assert)

    def writes_keep_succeeding():
        response = requests.post(srv.url(STUDENTS), timeout=10,
                                 json={"first_name": "Late", "last_name": "Comer", "grade": 3})
        if response.status_code not in (201, 503):
            unexpected.append((response.status_code, response.text))
        streak["201s in a row"] = streak["201s in a row"] + 1 if response.status_code == 201 else 0
        return streak["201s in a row"] >= 20
    harness.poll(writes_keep_succeeding, timeout=15, interval=0.02, what="20 POSTs in a row 201")
    writable_after = time.monotonic() - launched
    assert not unexpected, unexpected
    assert writable_after <= 5.0, f"all writes succeed {writable_after:.2f}s after PostgreSQL came up"
    assert own_postgres.query("late", "SELECT version FROM schema_migrations ORDER BY version") \
        == [["1"], ["2"]]
    health = requests.get(srv.url("/health"), timeout=5).json()
    assert health["checks"]["database"]["engine"] == "postgresql"
    assert health["checks"]["database"]["latency_us"] > 0


def test_statement_timeout_answers_503_and_other_requests_keep_flowing(start_server, postgres,
                                                                       new_database):
    """A row locked by someone else: PostgreSQL cancels our UPDATE at the statement timeout
    (kind "timeout"), the client gets 503 + Retry-After, and requests for other rows, sent
    meanwhile, are answered: they go to the pool's other connections, not behind the stuck one."""
    url = new_database()
    srv = start_server(env={"DATABASE_URL": url, "WORKER_THREADS": "1", "DB_POOL_SIZE": "4",
                            "DB_STATEMENT_TIMEOUT_MS": "1000"})
    api = srv.client()
    locked = api.post(STUDENTS, json={"first_name": "Locked", "last_name": "Row", "grade": 3})
    other = api.post(STUDENTS, json={"first_name": "Free", "last_name": "Row", "grade": 4})
    assert locked.status_code == other.status_code == 201
    locked_id, other_id = locked.json()["student_id"], other.json()["student_id"]

    database = url.rsplit("/", 1)[1]
    holder = subprocess.Popen(
        [pg._pg_bin("psql"), "-X", "-q", "-h", str(postgres.socket_dir), "-p", str(postgres.port),
         "-U", pg.USER, "-d", database, "-f", "-"], stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    holder.stdin.write(f"BEGIN; SELECT 1 FROM students WHERE student_id = '{locked_id}' FOR UPDATE;"
                       " SELECT pg_sleep(3); COMMIT;\n")
    holder.stdin.close()
    try:
        harness.poll(lambda: postgres.query(
            database, "SELECT count(*) FROM pg_locks WHERE mode = 'RowShareLock'") != [["0"]],
            10, what="the row lock to be held")
        answers = {}

        def patch_locked():
            started = time.monotonic()
            response = requests.patch(srv.url(f"{STUDENTS}/{locked_id}"), json={"grade": 9},
                                      timeout=15)
            answers["patch"] = (response, time.monotonic() - started)

        patcher = threading.Thread(target=patch_locked)
        patcher.start()
        time.sleep(0.2)
        for _ in range(20):  # while the UPDATE waits for the lock
            response = api.get(f"{STUDENTS}/{other_id}")
            assert response.status_code == 200, response.text
        patcher.join(timeout=20)
        response, seconds = answers["patch"]
        assert response.status_code == 503, response.text
        assert response.headers.get("Retry-After") == "1"
        assert response.json() == {"detail": "Service temporarily unavailable"}
        # Cancelled by PostgreSQL at the 1 s statement timeout, not by the driver's deadline a
        # second later (measured 1.0 to 1.1 s; the rest is slack for this loaded machine).
        assert 0.9 <= seconds < 1.0 + 1.0, f"answered after {seconds:.2f}s"
    finally:
        holder.wait(timeout=20)
    metrics = api.get("/metrics").text
    assert harness.metric_value(metrics, "db_errors_total", {"kind": "timeout"}) >= 1
    # The lock is gone: the same update now succeeds.
    assert api.patch(f"{STUDENTS}/{locked_id}", json={"grade": 9}).status_code == 200


def test_frozen_database_backends_do_not_hang_requests(start_server, postgres, new_database):
    """PostgreSQL's backends stop answering at all (SIGSTOP: like a network partition). The
    server-side timeout cannot fire, so the driver's own deadline (statement timeout + 1 s)
    gives the connection up: 503, then fresh connections serve again."""
    url = new_database()
    srv = start_server(env={"DATABASE_URL": url, "WORKER_THREADS": "1", "DB_POOL_SIZE": "2",
                            "DB_STATEMENT_TIMEOUT_MS": "1000"})
    api = srv.client()
    student = api.post(STUDENTS, json={"first_name": "Frozen", "last_name": "Db", "grade": 5})
    assert student.status_code == 201
    path = f"{STUDENTS}/{student.json()['student_id']}"
    database = url.rsplit("/", 1)[1]
    pids = [int(row[0]) for row in postgres.query(
        database, "SELECT pid FROM pg_stat_activity WHERE application_name = 'sre-playground'")]
    assert len(pids) == 2, pids
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        response = api.get(path)
        seconds = time.monotonic() - started
        assert response.status_code == 503, response.text
        assert response.headers.get("Retry-After") == "1"
        assert seconds <= FROZEN_DEADLINE_SECONDS, f"hung for {seconds:.2f}s"
        # New connections (new backends) take over without a restart.
        harness.poll(lambda: api.get(path).status_code == 200, 10, what="recovery")
    finally:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
    # Every kind is exported from the start, so only a count proves the driver's deadline.
    assert harness.metric_value(api.get("/metrics").text, "db_errors_total",
                                {"kind": "timeout"}) >= 1


@pytest.mark.slow
def test_retried_posts_with_idempotency_keys_create_each_student_once(start_server, own_postgres):
    """The README's "ambiguous write": a client that got no answer (or a 503) retries with the
    same Idempotency-Key while PostgreSQL is killed and comes back. Every key ends as exactly
    one student, and every answer for a key names that student."""
    url = own_postgres.create_database("keys")
    srv = start_server(env={"DATABASE_URL": url, "WORKER_THREADS": "2", "DB_POOL_SIZE": "2",
                            "DB_STATEMENT_TIMEOUT_MS": str(STATEMENT_TIMEOUT_MS)})
    keys_per_client, clients = 40, 4
    answers: dict[str, set[str]] = {}
    attempts: dict[str, int] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def client(index: int) -> None:
        session = requests.Session()
        for k in range(keys_per_client):
            key = f"client{index}-key{k}"
            body = {"first_name": f"C{index}K{k}", "last_name": "Retry", "grade": 1 + k % 12}
            while not stop.is_set():
                with lock:
                    attempts[key] = attempts.get(key, 0) + 1
                try:
                    response = session.post(srv.url(STUDENTS), json=body, timeout=5,
                                            headers={"Idempotency-Key": key})
                except requests.RequestException:
                    session = requests.Session()  # the answer was lost: retry as is
                    continue
                if response.status_code == 201:
                    with lock:
                        answers.setdefault(key, set()).add(response.json()["student_id"])
                    break
                assert response.status_code == 503, response.text
                time.sleep(0.05)
            time.sleep(0.02)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    try:
        harness.poll(lambda: len(answers) >= 10, 20, what="ten keys answered before the fault")
        own_postgres.kill()
        time.sleep(2.0)
        own_postgres.launch()
        for thread in threads:
            thread.join(timeout=90)
    finally:
        stop.set()
    assert not any(thread.is_alive() for thread in threads), "a client never got its 201"

    total = keys_per_client * clients
    assert len(answers) == total
    assert all(len(ids) == 1 for ids in answers.values()), \
        {key: ids for key, ids in answers.items() if len(ids) > 1}
    retried = sum(1 for n in attempts.values() if n > 1)
    assert retried > 0, "the fault hit no request: nothing was tested"
    stored = own_postgres.query("keys", "SELECT first_name, student_id FROM students")
    assert len(stored) == total, f"{len(stored)} students for {total} keys"
    by_name = {name: sid for name, sid in stored}
    for key, ids in answers.items():
        index, k = key.removeprefix("client").split("-key")
        assert by_name[f"C{index}K{k}"] == next(iter(ids)), key
    events = own_postgres.query("keys", "SELECT count(*) FROM outbox_events "
                                        "WHERE event_type = 'student_created'")
    assert events == [[str(total)]], "one creation event per student"
    print(f"\n{total} keys, {retried} retried at least once, "
          f"{sum(attempts.values())} POSTs in all")
