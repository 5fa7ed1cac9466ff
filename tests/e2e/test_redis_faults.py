"""Redis failing for real: killed mid-run, then started again on the same port. Reads and
writes must keep succeeding (the cache falls through to the store, the limiter falls back to
in-process buckets), the fallback must be logged once and counted, and once Redis is back
the service must use it again within seconds, without a restart."""
from __future__ import annotations

import threading
import time

import harness
from checks import STUDENTS, assert_json, student_path

NEW = {"first_name": "Grace", "last_name": "Hopper", "grade": 8}


def metric(api, name, labels=None) -> float:
    return harness.metric_value(api.get("/metrics").text, name, labels)


def test_redis_killed_and_restarted(start_server, redis_server):
    redis = redis_server()
    srv = start_server(env={"REDIS_URL": redis.url, "RATE_LIMIT_ENABLED": "true",
                            "REDIS_TIMEOUT_MS": "200", "WORKER_THREADS": "2"})
    api = srv.client()
    harness.poll(lambda: metric(api, "redis_connections_up") == 2, 10,
                 what="both I/O threads connected to Redis")
    sid = assert_json(api.post(STUDENTS, json=NEW), 201)["student_id"]
    assert api.get(student_path(sid)).headers["X-Cache"] == "MISS"
    assert api.get(student_path(sid)).headers["X-Cache"] == "HIT"

    redis.kill()
    # Every request keeps working: reads from the store, writes to the store, limits local.
    for i in range(10):
        response = api.get(student_path(sid))
        assert_json(response, 200)
        assert response.headers["X-Cache"] == "MISS"
        assert "X-RateLimit-Remaining" in response.headers
    changed = assert_json(api.patch(student_path(sid), json={"grade": 11}), 200)
    assert changed["grade"] == 11
    assert_json(api.post(STUDENTS, json=NEW), 201)
    assert assert_json(api.get(student_path(sid)), 200)["grade"] == 11

    assert metric(api, "rate_limit_fallback_active") == 1
    assert metric(api, "rate_limit_fallback_decisions_total") >= 10
    assert metric(api, "redis_connections_up") == 0
    assert metric(api, "cache_requests_total", {"cache": "students", "result": "error"}) >= 10
    srv.wait_for_log(lambda r: r.get("msg", "").startswith("rate limiter: Redis unreachable")
                     and r.get("request_id"), what="fallback log line with a request id")
    fallback_lines = [r for r in srv.log_records()
                      if r.get("msg", "").startswith("rate limiter: Redis unreachable")]
    assert len(fallback_lines) == 1, "logged once, not per request"
    srv.wait_for_log(lambda r: r.get("msg", "").startswith("cache invalidation failed")
                     and r.get("request_id"), what="invalidation failure logged")

    redis.start()  # same port, empty
    harness.poll(lambda: metric(api, "redis_connections_up") == 2, 15,
                 what="reconnected to the restarted Redis")
    # The next decisions and reads use Redis again.
    harness.poll(lambda: api.get(student_path(sid)).headers.get("X-Cache") == "HIT", 5,
                 what="cache hits again")
    # The fallback ends once no decision has failed for a second (see fallback_state.h).
    harness.poll(lambda: api.get(STUDENTS) and metric(api, "rate_limit_fallback_active") == 0,
                 5, what="the fallback gauge back to 0")
    srv.wait_for_log(lambda r: r.get("msg") == "rate limiter: back on Redis",
                     what="back-on-Redis log line")
    assert redis.cli("KEYS", "ratelimit:*"), "limiter state lives in Redis again"
    assert srv.process.is_running()


def test_wrong_password_is_logged_and_requests_still_work(start_server, redis_server):
    redis = redis_server(password="right-horse-battery")
    url = f"redis://:not-the-password-42@{harness.LOOPBACK}:{redis.port}/0"
    srv = start_server(env={"REDIS_URL": url, "RATE_LIMIT_ENABLED": "true"})
    api = srv.client()
    srv.wait_for_log(lambda r: r.get("msg") == "redis refused the handshake",
                     what="handshake refusal logged")
    assert "not-the-password-42" not in srv.process.log_text(), "no secret in logs"
    sid = assert_json(api.post(STUDENTS, json=NEW), 201)["student_id"]
    # Reads go to the database, and say so: every one a MISS, counted as a cache error.
    errors = {"cache": "students", "result": "error"}
    before = metric(api, "cache_requests_total", errors)
    for _ in range(3):
        response = api.get(student_path(sid))
        assert_json(response, 200)
        assert response.headers["X-Cache"] == "MISS"
    # Twice per read: the failed lookup, then the failed fill after reading the database.
    assert metric(api, "cache_requests_total", errors) - before == 2 * 3
    assert metric(api, "cache_requests_total", {"cache": "students", "result": "hit"}) == 0
    assert metric(api, "redis_connections_up") == 0


def test_password_and_database_from_the_url(start_server, redis_server):
    redis = redis_server(password="s3cret")
    url = f"redis://:s3cret@{harness.LOOPBACK}:{redis.port}/3"
    srv = start_server(env={"REDIS_URL": url, "WORKER_THREADS": "1"})
    api = srv.client()
    harness.poll(lambda: metric(api, "redis_connections_up") == 1, 10, what="connected")
    sid = assert_json(api.post(STUDENTS, json=NEW), 201)["student_id"]
    api.get(student_path(sid))
    assert redis.cli("-n", "3", "EXISTS", f"student:{sid}") == "1"
    assert redis.cli("-n", "0", "EXISTS", f"student:{sid}") == "0"


def test_fallback_is_logged_once_each_way_while_threads_reconnect_apart(start_server,
                                                                        redis_server):
    """Two I/O threads reconnect at different moments after a Redis restart; requests landing
    on both in between must not flip the fallback state (and its log lines) back and forth."""
    redis = redis_server()
    srv = start_server(env={"REDIS_URL": redis.url, "RATE_LIMIT_ENABLED": "true",
                            "RATE_LIMITS": "* 100000/s", "REDIS_TIMEOUT_MS": "200",
                            "WORKER_THREADS": "2", "ACCESS_LOG_SAMPLE_RATE": "0"})
    api = srv.client()
    harness.poll(lambda: metric(api, "redis_connections_up") == 2, 10,
                 what="both I/O threads connected to Redis")
    stop = threading.Event()

    def hammer():
        client = srv.client(timeout=5)
        while not stop.is_set():
            client.get("/")
        client.close()

    workers = [threading.Thread(target=hammer, daemon=True) for _ in range(6)]
    for worker in workers:
        worker.start()
    try:
        redis.kill()
        time.sleep(3)  # long enough for the threads' reconnect backoffs to drift apart
        redis.start()
        harness.poll(lambda: metric(api, "redis_connections_up") == 2, 15,
                     what="both threads reconnected")
        srv.wait_for_log(lambda r: r.get("msg") == "rate limiter: back on Redis", timeout=10,
                         what="back-on-Redis log line")
        time.sleep(1)
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=10)
    records = srv.log_records()
    entries = [r for r in records if r.get("msg", "").startswith("rate limiter: Redis unreachable")]
    exits = [r for r in records if r.get("msg") == "rate limiter: back on Redis"]
    assert (len(entries), len(exits)) == (1, 1), (len(entries), len(exits))
    assert metric(api, "rate_limit_fallback_active") == 0
