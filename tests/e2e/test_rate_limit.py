"""Rate limiting, black-box: the seed's demo from one client, the headers on every limited
response, 429 bodies, exempt routes, the limit shared by two instances through Redis, and
X-Forwarded-For believed only from a trusted proxy. Invalid settings refuse to start."""
from __future__ import annotations

import time

import pytest

import harness
from checks import STUDENTS, assert_json
from test_config import run_serve

NEW = {"first_name": "RateTest", "last_name": "User", "grade": 10}
LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
                 "RateLimit-Policy", "RateLimit")


def seed_demo(api) -> list[int]:
    """The seed README's demo: 5 creates, then 15 more; returns the statuses of the 15."""
    for _ in range(5):
        assert_json(api.post(STUDENTS, json=NEW), 201)
    return [api.post(STUDENTS, json=NEW).status_code for _ in range(15)]


def check_seed_demo(api):
    statuses = seed_demo(api)
    assert statuses == [201] * 10 + [429] * 5, statuses
    refused = api.post(STUDENTS, json=NEW)
    body = assert_json(refused, 429)
    assert body["error"] == "Rate limit exceeded"
    assert isinstance(body["retry_after"], int) and 1 <= body["retry_after"] <= 6, body
    assert refused.headers["Retry-After"] == str(body["retry_after"])
    assert refused.headers["X-RateLimit-Limit"] == "15"
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert refused.headers["RateLimit-Policy"] == '"POST /api/v1/students";q=10;w=60'
    assert refused.headers["RateLimit"].startswith('"POST /api/v1/students";r=0;t=')


def test_seed_demo_in_process(start_server):
    srv = start_server(env={"RATE_LIMIT_ENABLED": "true"})
    check_seed_demo(srv.client())
    metrics = srv.client().get("/metrics").text
    labels = {"policy": "POST /api/v1/students"}
    assert harness.metric_value(metrics, "rate_limit_decisions_total",
                                {**labels, "outcome": "allowed"}) == 15
    assert harness.metric_value(metrics, "rate_limit_decisions_total",
                                {**labels, "outcome": "limited"}) == 6


def test_seed_demo_on_redis(start_server, redis_server):
    redis = redis_server()
    srv = start_server(env={"RATE_LIMIT_ENABLED": "true", "REDIS_URL": redis.url})
    check_seed_demo(srv.client())
    keys = redis.cli("KEYS", "ratelimit:*").splitlines()
    assert keys == ["ratelimit:POST /api/v1/students:ip:127.0.0.1"], keys
    assert 0 < int(redis.cli("PTTL", keys[0])) <= 91_000, "buckets expire once full again"


def test_headers_on_every_limited_response_and_exempt_routes(start_server):
    srv = start_server(env={"RATE_LIMIT_ENABLED": "true"})
    api = srv.client()
    created = api.post(STUDENTS, json=NEW)
    assert created.status_code == 201
    assert created.headers["X-RateLimit-Limit"] == "15"
    assert created.headers["X-RateLimit-Remaining"] == "14"
    assert created.headers["X-RateLimit-Reset"] == "6"
    listed = api.get(STUDENTS)
    assert listed.status_code == 200
    assert listed.headers["RateLimit-Policy"] == '"default";q=100;w=60'
    assert listed.headers["X-RateLimit-Limit"] == "110"
    missing = api.get("/no/such/path")
    assert missing.status_code == 404 and "RateLimit" in missing.headers, "scanners count too"
    for path in ("/health", "/health/live", "/health/ready"):
        response = api.get(path)
        assert not any(h in response.headers for h in LIMIT_HEADERS), (path, response.headers)
    assert api.get("/metrics").headers["RateLimit-Policy"] == '"metrics scrape";q=10;w=1'


def test_metrics_has_its_own_limit_far_above_any_scraper(start_server):
    """/metrics renders every series per request: thousands a second slowed every other
    client down. RATE_LIMITS cannot exempt it; a scraper (one request per interval) never
    meets the built-in 10/s, burst 20."""
    srv = start_server(env={"RATE_LIMIT_ENABLED": "true", "RATE_LIMITS": "/metrics exempt"})
    api = srv.client()
    start = time.monotonic()
    responses = [api.get("/metrics") for _ in range(60)]
    elapsed = time.monotonic() - start
    statuses = [response.status_code for response in responses]
    assert statuses[:20] == [200] * 20, statuses
    assert set(statuses) == {200, 429}, statuses
    assert statuses.count(200) <= 20 + 10 * elapsed + 1, (elapsed, statuses)
    refused = next(response for response in responses if response.status_code == 429)
    assert refused.json() == {"error": "Rate limit exceeded", "retry_after": 1}
    assert refused.headers["Retry-After"] == "1"
    assert refused.headers["RateLimit-Policy"] == '"metrics scrape";q=10;w=1'
    assert [api.get("/health/live").status_code for _ in range(60)] == [200] * 60
    def served_scrape():
        response = api.get("/metrics")
        return response.text if response.status_code == 200 else None

    metrics = harness.poll(served_scrape, 3, what="a scrape once the bucket refilled")
    assert harness.metric_value(metrics, "rate_limit_decisions_total",
                                {"policy": "metrics scrape", "outcome": "limited"}) >= 1


def test_metrics_limit_is_per_instance_even_on_redis(start_server, redis_server):
    """One Prometheus scrapes every instance from one address: a bucket shared in Redis would
    throttle it as the fleet grows. Each instance admits its own burst."""
    redis = redis_server()
    env = {"RATE_LIMIT_ENABLED": "true", "REDIS_URL": redis.url, "WORKER_THREADS": "1"}
    a, b = start_server(env=env), start_server(env=env)
    clients = [a.client(), b.client()]
    for api in clients:
        harness.poll(lambda: harness.metric_value(api.get("/metrics").text,
                                                  "redis_connections_up") == 1,
                     10, what="the instance connected to Redis")
    time.sleep(2.2)  # the scrapes above are refilled: every bucket is full
    statuses = [clients[i % 2].get("/metrics").status_code for i in range(40)]
    assert statuses == [200] * 40, statuses


def test_probes_health_report_and_metrics_ignore_the_rules(start_server):
    # A rule that would limit everything to one request an hour: the tagged routes ignore it.
    srv = start_server(env={"RATE_LIMIT_ENABLED": "true", "RATE_LIMITS": "* 1/h burst 1"})
    api = srv.client()
    for path in ("/health/live", "/health/ready", "/health", "/metrics"):  # 5 < the scrape burst
        statuses = [api.get(path).status_code for _ in range(5)]
        assert statuses == [200] * 5, (path, statuses)
        if path != "/metrics":
            assert not any(h in api.get(path).headers for h in LIMIT_HEADERS), path
    assert [api.get("/").status_code for _ in range(2)] == [200, 429], "the rest is limited"


def test_disabled_means_no_headers_and_no_429(start_server):
    srv = start_server(env={"RATE_LIMIT_ENABLED": "false"})
    api = srv.client()
    statuses = [api.post(STUDENTS, json=NEW).status_code for _ in range(20)]
    assert statuses == [201] * 20
    assert "X-RateLimit-Limit" not in api.get(STUDENTS).headers


def test_two_instances_on_one_redis_admit_the_burst_once(start_server, redis_server):
    redis = redis_server()
    env = {"RATE_LIMIT_ENABLED": "true", "REDIS_URL": redis.url,
           "RATE_LIMITS": "GET /api/v1/students 1/h burst 8; /health* exempt; /metrics exempt"}
    a, b = start_server(env=env), start_server(env=env)
    clients = [a.client(), b.client()]
    statuses = [clients[i % 2].get(STUDENTS).status_code for i in range(20)]
    assert statuses.count(200) == 8, statuses
    assert statuses.count(429) == 12, statuses
    for srv in (a, b):
        metrics = srv.client().get("/metrics").text
        assert harness.metric_value(metrics, "rate_limit_fallback_decisions_total") == 0


@pytest.mark.parametrize("store", ["in-process", "redis"])
def test_buckets_refill_at_the_rule_rate_up_to_the_burst(start_server, redis_server, store):
    """A token bucket refills over time, in process and in Redis (the Lua script, on Redis'
    own clock). `30/min burst 2`, a token every 2 s: the burst is spent, then 2.5 s later one
    token (1.25) is back, not two; 4.5 s after that the bucket is full again (capped at 2),
    not fuller. The margins (1.5 s, 2 s) absorb this loaded machine's delays between
    requests: with a token every 0.5 s, three requests once took long enough to earn one."""
    env = {"RATE_LIMIT_ENABLED": "true", "WORKER_THREADS": "1",
           "RATE_LIMITS": "GET /api/v1/students 30/min burst 2; /health* exempt; /metrics exempt"}
    if store == "redis":
        env["REDIS_URL"] = redis_server().url
    srv = start_server(env=env)
    api = srv.client()
    if store == "redis":
        harness.poll(lambda: harness.metric_value(api.get("/metrics").text,
                                                  "redis_connections_up") == 1,
                     10, what="the instance connected to Redis")

    def burst(n):
        return [api.get(STUDENTS).status_code for _ in range(n)]

    assert burst(3) == [200, 200, 429]
    time.sleep(2.5)
    assert burst(2) == [200, 429], "one token refilled in 2.5 s at one per 2 s"
    time.sleep(4.5)
    assert burst(3) == [200, 200, 429], "refilled up to the burst, and no further"
    metrics = api.get("/metrics").text
    assert harness.metric_value(metrics, "rate_limit_fallback_decisions_total") == 0
    assert harness.metric_value(metrics, "rate_limit_decisions_total",
                                {"policy": "GET /api/v1/students", "outcome": "limited"}) == 3


def test_forwarded_for_only_from_trusted_proxies(start_server):
    rules = "GET /api/v1/students 1/h burst 2; /health* exempt; /metrics exempt"
    trusting = start_server(env={"RATE_LIMIT_ENABLED": "true", "RATE_LIMITS": rules,
                                 "TRUSTED_PROXIES": "127.0.0.1"}).client()
    # Behind a trusted proxy, each original client has its own bucket.
    for client_ip in ("198.51.100.1", "198.51.100.2"):
        headers = {"X-Forwarded-For": f"203.0.113.66, {client_ip}"}
        statuses = [trusting.get(STUDENTS, headers=headers).status_code for _ in range(3)]
        assert statuses == [200, 200, 429], (client_ip, statuses)

    # From an untrusted peer the header is ignored: a fresh value per request does not help.
    untrusting = start_server(env={"RATE_LIMIT_ENABLED": "true", "RATE_LIMITS": rules,
                                   "TRUSTED_PROXIES": "10.0.0.0/8"}).client()
    statuses = [untrusting.get(STUDENTS, headers={"X-Forwarded-For": f"198.51.100.{i}"})
                .status_code for i in range(3)]
    assert statuses == [200, 200, 429], statuses


def test_forwarded_for_on_several_lines_is_one_list(start_server):
    """The client sends its own line, our proxy appends another: the proxy's is believed."""
    rules = "GET /api/v1/students 1/h burst 2; /health* exempt; /metrics exempt"
    srv = start_server(env={"RATE_LIMIT_ENABLED": "true", "RATE_LIMITS": rules,
                            "TRUSTED_PROXIES": "127.0.0.1"})
    statuses = []
    for i in range(3):
        with srv.raw() as conn:
            conn.send(f"GET {STUDENTS} HTTP/1.1\r\nHost: x\r\n"
                      f"X-Forwarded-For: 6.6.6.{i}\r\n"
                      f"X-Forwarded-For: 198.51.100.7\r\n\r\n".encode())
            statuses.append(conn.read_response().status)
    assert statuses == [200, 200, 429], statuses


def test_ipv6_clients_share_a_bucket_per_64(start_server):
    rules = "GET /api/v1/students 1/h burst 2; /health* exempt; /metrics exempt"
    env = {"RATE_LIMIT_ENABLED": "true", "RATE_LIMITS": rules, "TRUSTED_PROXIES": "127.0.0.1"}
    api = start_server(env=env).client()
    # Rotating the interface id within one /64 does not buy a fresh bucket...
    statuses = [api.get(STUDENTS, headers={"X-Forwarded-For": f"2001:db8:1:2::{i:x}"})
                .status_code for i in range(1, 4)]
    assert statuses == [200, 200, 429], statuses
    # ...while the next /64 is somebody else.
    assert api.get(STUDENTS, headers={"X-Forwarded-For": "2001:db8:1:3::1"}).status_code == 200
    # A /128 prefix keys every address on its own.
    per_address = start_server(env={**env, "RATE_LIMIT_IPV6_PREFIX": "128"}).client()
    statuses = [per_address.get(STUDENTS, headers={"X-Forwarded-For": f"2001:db8:1:2::{i:x}"})
                .status_code for i in range(1, 4)]
    assert statuses == [200, 200, 200], statuses


INVALID = [
    ({"RATE_LIMITS": "POST /api/v1/students 10/fortnight"}, "RATE_LIMITS"),
    ({"RATE_LIMITS": "students 10/min"}, "RATE_LIMITS"),
    ({"RATE_LIMIT_ENABLED": "maybe"}, "RATE_LIMIT_ENABLED"),
    ({"REDIS_URL": "localhost:6379"}, "REDIS_URL"),
    ({"REDIS_URL": "rediss://cache:6380/0"}, "REDIS_URL"),
    ({"TRUSTED_PROXIES": "10.0.0.0/40"}, "TRUSTED_PROXIES"),
    ({"TRUSTED_PROXIES": "proxy.internal"}, "TRUSTED_PROXIES"),
    ({"RATE_LIMIT_IPV6_PREFIX": "0"}, "RATE_LIMIT_IPV6_PREFIX"),
    ({"RATE_LIMIT_IPV6_PREFIX": "129"}, "RATE_LIMIT_IPV6_PREFIX"),
    ({"CACHE_TTL_SECONDS": "-1"}, "CACHE_TTL_SECONDS"),
    ({"REDIS_TIMEOUT_MS": "0"}, "REDIS_TIMEOUT_MS"),
]


@pytest.mark.parametrize("env,setting", INVALID, ids=[f"{e}" for e, _ in INVALID])
def test_invalid_settings_exit_2_with_one_line(sre_binary, tmp_path, env, setting):
    code, stdout, stderr = run_serve(sre_binary, tmp_path, env, ())
    assert code == 2, f"exit {code}; stderr={stderr!r} stdout={stdout[-300:]!r}"
    message = stderr.strip()
    assert "\n" not in message and setting in message, message
