"""Cache-aside for GET /api/v1/students/{id}, over HTTP: misses fill, hits skip the store,
every update and delete invalidates, concurrent misses load once, and with Redis the cache is
shared by every thread and every instance (a write on one instance is seen by the other)."""
from __future__ import annotations

import concurrent.futures
import json

import harness
from checks import STUDENTS, assert_json, student_path

ADA = {"first_name": "Ada", "last_name": "Lovelace", "grade": 7}


def create(api, body=ADA) -> dict:
    return assert_json(api.post(STUDENTS, json=body), 201)


def cached_get(api, student_id: str):
    response = api.get(student_path(student_id))
    return response, response.headers.get("X-Cache")


def test_in_process_cache_hit_miss_and_invalidation(start_server):
    # One I/O thread: the in-process cache has one shard per thread, so this makes every
    # request see the same shard (with more threads a key is cached once per thread).
    srv = start_server(env={"WORKER_THREADS": "1"})
    api = srv.client()
    student = create(api)
    sid = student["student_id"]

    first, state = cached_get(api, sid)
    assert state == "MISS" and assert_json(first, 200) == student
    second, state = cached_get(api, sid)
    assert state == "HIT" and assert_json(second, 200) == student

    changed = assert_json(api.patch(student_path(sid), json={"grade": 9}), 200)
    after_patch, state = cached_get(api, sid)
    assert state == "MISS", "an update must invalidate"
    assert assert_json(after_patch, 200)["grade"] == 9 == changed["grade"]
    assert cached_get(api, sid)[1] == "HIT"

    assert_json(api.put(student_path(sid), json={**ADA, "grade": 3}), 200)
    assert assert_json(api.get(student_path(sid)), 200)["grade"] == 3

    assert api.delete(student_path(sid)).status_code == 204
    gone, state = cached_get(api, sid)
    assert gone.status_code == 404 and state == "MISS", "a delete must invalidate"
    assert cached_get(api, sid)[0].status_code == 404, "absence is not cached as a student"

    metrics = api.get("/metrics").text
    hits = harness.metric_value(metrics, "cache_requests_total", {"cache": "students",
                                                                  "result": "hit"})
    misses = harness.metric_value(metrics, "cache_requests_total", {"cache": "students",
                                                                    "result": "miss"})
    assert hits == 2 and misses == 5, metrics


def test_cache_off_sends_no_x_cache(start_server):
    srv = start_server(env={"CACHE_TTL_SECONDS": "0"})
    api = srv.client()
    sid = create(api)["student_id"]
    for _ in range(2):
        response = api.get(student_path(sid))
        assert_json(response, 200)
        assert "X-Cache" not in response.headers


def test_redis_cache_is_shared_by_threads_and_instances(start_server, redis_server):
    redis = redis_server()
    env = {"REDIS_URL": redis.url, "WORKER_THREADS": "2", "CACHE_TTL_SECONDS": "120"}
    a = start_server(env=env)
    b = start_server(env={**env, "DATABASE_URL": f"sqlite://{a.data_dir}/sre-playground.db"})
    api_a, api_b = a.client(), b.client()
    sid = create(api_a)["student_id"]

    assert cached_get(api_a, sid)[1] == "MISS"
    key = f"student:{sid}"
    assert json.loads(redis.cli("GET", key))["student_id"] == sid
    assert 0 < int(redis.cli("TTL", key)) <= 120
    # Fresh connections land on either thread of either instance: all hit the one cache.
    for client in (a.client(), b.client(), a.client(), b.client()):
        assert cached_get(client, sid)[1] == "HIT"
        client.close()

    # A write on instance A invalidates what instance B would read.
    assert_json(api_a.patch(student_path(sid), json={"last_name": "Byron"}), 200)
    assert redis.cli("EXISTS", key) == "0"
    response, state = cached_get(api_b, sid)
    assert state == "MISS" and assert_json(response, 200)["last_name"] == "Byron"
    assert cached_get(api_b, sid)[1] == "HIT"


def test_redis_cache_is_invalidated_by_put_and_delete(start_server, redis_server):
    """Every write drops the key in Redis, not only PATCH: a PUT and a DELETE on instance A
    are seen by instance B's next read, which would otherwise answer the cached student."""
    redis = redis_server()
    env = {"REDIS_URL": redis.url, "CACHE_TTL_SECONDS": "120"}
    a = start_server(env=env)
    b = start_server(env={**env, "DATABASE_URL": f"sqlite://{a.data_dir}/sre-playground.db"})
    api_a, api_b = a.client(), b.client()
    sid = create(api_a)["student_id"]
    key = f"student:{sid}"

    assert cached_get(api_b, sid)[1] == "MISS" and redis.cli("EXISTS", key) == "1"
    assert_json(api_a.put(student_path(sid), json={**ADA, "grade": 11}), 200)
    assert redis.cli("EXISTS", key) == "0", "PUT must invalidate"
    response, state = cached_get(api_b, sid)
    assert state == "MISS" and assert_json(response, 200)["grade"] == 11

    assert cached_get(api_b, sid)[1] == "HIT"
    assert api_a.delete(student_path(sid)).status_code == 204
    assert redis.cli("EXISTS", key) == "0", "DELETE must invalidate"
    gone, state = cached_get(api_b, sid)
    assert gone.status_code == 404 and state == "MISS"


def test_concurrent_misses_load_the_store_once(start_server, redis_server):
    # Twenty reads of one uncached key on the single I/O thread must all be misses at the same
    # time; single flight must then load the store once. A proxy holds the lookups on their
    # way to Redis until all twenty are there (counted, not timed: a stall of fixed length let
    # a slow machine send some reads after it ended), then lets Redis answer them together.
    redis = redis_server()
    link = harness.start_proxy(redis.port)
    srv = start_server(env={"REDIS_URL": f"redis://{harness.LOOPBACK}:{link.port}",
                            "WORKER_THREADS": "1", "REDIS_TIMEOUT_MS": "60000"})
    api = srv.client()
    sid = create(api)["student_id"]
    key = f"student:{sid}".encode()
    lookup = b"*2\r\n$3\r\nGET\r\n$%d\r\n%s\r\n" % (len(key), key)
    clients = [srv.client(timeout=60) for _ in range(20)]
    for client in clients:  # open the connections before the lookups are held
        assert client.get("/health/live").status_code == 200

    def loads() -> float:
        return harness.metric_value(api.get("/metrics").text, "cache_loads_total",
                                    {"cache": "students"})

    before = loads()
    link.hold()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
            reads = [pool.submit(c.get, student_path(sid)) for c in clients]
            harness.poll(lambda: link.held().count(lookup) == 20, timeout=50,
                         what="twenty lookups of the key held on their way to Redis")
            assert not any(r.done() for r in reads), "a read was answered without its lookup"
            link.release()
            results = [r.result() for r in reads]
    finally:
        link.release()
        link.stop()
    assert all(r.status_code == 200 and r.headers["X-Cache"] == "MISS" for r in results), \
        [(r.status_code, r.headers.get("X-Cache")) for r in results]
    assert loads() - before == 1, "twenty concurrent misses of one key, one store read"
    assert redis.cli("EXISTS", key.decode()) == "1", "the one load filled the cache"
    for client in clients:
        client.close()
