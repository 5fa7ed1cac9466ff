"""GET /api/v1/students/{id}/grades against a real grade-service process: circuit breaker,
timeouts, deadline propagation, fallback to the last known grades, admin endpoints.

Each test starts its own grade service (no faults) and an API pointed at it, with a short
breaker open time where the test waits for half-open."""
from __future__ import annotations

import signal
import time

import pytest

import harness

GRADES = "/api/v1/students/{}/grades"
BREAKERS = "/api/v1/admin/circuit-breakers"


@pytest.fixture
def grade_service(sre_binary, tmp_path):
    service = harness.start_grade_service(tmp_path / "grade-service", binary=sre_binary)
    yield service
    service.stop(timeout=5)


@pytest.fixture
def api_for(start_server, grade_service):
    """api_for(**settings) -> (server, client) with GRADE_SERVICE_URL set to grade_service."""
    clients = []

    def start(**settings):
        env = {"GRADE_SERVICE_URL": grade_service.base_url}
        env.update({key: str(value) for key, value in settings.items()})
        server = start_server(env=env)
        client = server.admin_client(timeout=10)  # breaker() reads an admin route
        clients.append(client)
        return server, client

    yield start
    for client in clients:
        client.close()


def breaker(client) -> dict:
    response = client.get(BREAKERS)
    assert response.status_code == 200, response.text
    (only,) = response.json()["circuit_breakers"]
    assert only["name"] == "grade-service"
    return only


def timed_get(client, path, **kwargs):
    started = time.perf_counter()
    response = client.get(path, **kwargs)
    return response, time.perf_counter() - started


def test_fresh_grades_come_from_the_grade_service_and_are_deterministic(api_for, grade_service):
    _, client = api_for()
    first = client.get(GRADES.format("STU-123"))
    assert first.status_code == 200, first.text
    body = first.json()
    direct = harness.requests.get(grade_service.url("/grades/STU-123"), timeout=5).json()
    assert body == {"student_id": "STU-123", "grades": direct["grades"], "cached": False}
    assert {"subject", "grade"} == set(body["grades"][0])
    assert client.get(GRADES.format("STU-123")).json() == body
    assert "X-Grades-Fallback" not in first.headers


def test_errors_open_the_breaker_after_three_calls_then_no_call_reaches_the_service(
        api_for, grade_service):
    _, client = api_for()
    grade_service.set_faults(error_rate=1.0)
    for _ in range(3):
        response = client.get(GRADES.format("STU-1"))
        assert response.status_code == 200
        assert response.json() == {"student_id": "STU-1", "grades": [], "cached": True}
    state = breaker(client)
    assert state["state"] == "open", state
    assert 0 < state["time_to_half_open_ms"] <= 60_000

    served = grade_service.requests_served()
    latencies = []
    for _ in range(10):
        response, elapsed = timed_get(client, GRADES.format("STU-1"))
        assert response.json()["cached"] is True
        assert response.headers["X-Grades-Fallback"] == "circuit_open"
        latencies.append(elapsed)
    assert grade_service.requests_served() == served, "a call reached the grade service"
    # README: about 1 ms once the breaker is open (measured 0.8 to 1.0 ms median). The median
    # carries the figure; one answer delayed by this loaded machine's scheduling (33 ms was
    # seen while other builds ran) is not the breaker's doing, a call waiting for the grade
    # service's 500 ms timeout would be.
    latencies.sort()
    assert latencies[len(latencies) // 2] < 0.020, f"median {latencies[5] * 1000:.1f} ms"
    assert latencies[-1] < 0.2, f"slowest {latencies[-1] * 1000:.1f} ms"

    metrics = client.get("/metrics").text
    assert 'circuit_breaker_state{name="grade-service"} 1' in metrics
    assert 'circuit_breaker_transitions_total{from="closed",name="grade-service",to="open"} 1' \
        in metrics
    assert 'grade_client_rejections_total{reason="circuit_open"} 10' in metrics


def test_half_open_probe_closes_the_breaker_once_faults_are_cleared(api_for, grade_service):
    server, client = api_for(CIRCUIT_BREAKER_OPEN_SECONDS=1)
    grade_service.set_faults(error_rate=1.0)
    for _ in range(3):
        client.get(GRADES.format("STU-2"))
    assert breaker(client)["state"] == "open"

    # Still failing when the open time is over: the probe fails and the breaker reopens.
    time.sleep(1.1)
    served = grade_service.requests_served()
    assert client.get(GRADES.format("STU-2")).json()["cached"] is True
    assert grade_service.requests_served() == served + 1, "exactly one probe"
    assert breaker(client)["state"] == "open"

    grade_service.set_faults(error_rate=0.0)
    time.sleep(1.1)
    response = client.get(GRADES.format("STU-2"))
    assert response.json()["cached"] is False
    assert breaker(client)["state"] == "closed"
    server.wait_for_log(lambda r: r.get("msg") == "circuit breaker state changed"
                        and r.get("to") == "closed" and r.get("reason") == "probe_succeeded")


def test_a_failure_rate_of_half_the_window_opens_the_breaker_without_three_in_a_row(
        api_for, grade_service):
    """README: CLOSED -> OPEN on a 50% failure rate over the last 20 calls (at least 10),
    whatever the consecutive count. Calls succeed and fail by turns (never two failures in a
    row, one attempt each): the first nine reach the service with the breaker closed, the
    tenth, a failure, makes it 5 of 10 and opens it, and the eleventh no longer reaches the
    service."""
    server, client = api_for(GRADE_MAX_ATTEMPTS=1)
    for call in range(1, 11):
        grade_service.set_faults(error_rate=0.0 if call % 2 else 1.0)
        assert client.get(GRADES.format(f"STU-F{call}")).status_code == 200
        assert grade_service.requests_served() == call, f"call {call} did not reach the service"
        assert breaker(client)["state"] == ("open" if call == 10 else "closed"), call
    response = client.get(GRADES.format("STU-F11"))
    assert response.headers["X-Grades-Fallback"] == "circuit_open"
    assert grade_service.requests_served() == 10
    server.wait_for_log(lambda r: r.get("msg") == "circuit breaker state changed"
                        and r.get("to") == "open" and r.get("reason") == "failure_rate",
                        what="the breaker opened for its failure rate")


def test_slow_successes_count_as_failures_and_open_the_breaker(api_for, grade_service):
    """README: slow calls (CIRCUIT_BREAKER_SLOW_CALL_MS) count as failures. Answers of 150 ms
    against a 50 ms bound: each is still served fresh, and three in a row open the breaker."""
    server, client = api_for(GRADE_MAX_ATTEMPTS=1, CIRCUIT_BREAKER_SLOW_CALL_MS=50)
    grade_service.set_faults(error_rate=0.0, latency_ms=150)
    for call in range(3):
        assert breaker(client)["state"] == "closed", call
        assert client.get(GRADES.format("STU-S")).json()["cached"] is False
    assert breaker(client)["state"] == "open"
    response = client.get(GRADES.format("STU-S"))
    assert response.headers["X-Grades-Fallback"] == "circuit_open"
    assert grade_service.requests_served() == 3
    server.wait_for_log(lambda r: r.get("msg") == "circuit breaker state changed"
                        and r.get("to") == "open" and r.get("reason") == "consecutive_failures",
                        what="the breaker opened for slow calls")


def test_slow_grade_service_answers_within_the_timeout_with_the_last_known_grades(
        api_for, grade_service):
    _, client = api_for(GRADE_TIMEOUT_MS=500)
    fresh = client.get(GRADES.format("STU-3")).json()
    assert fresh["cached"] is False

    grade_service.set_faults(latency_ms=2000)
    response, elapsed = timed_get(client, GRADES.format("STU-3"))
    assert elapsed < 0.5 + 0.25, f"answered after {elapsed:.3f} s"
    assert response.json() == {**fresh, "cached": True}
    assert response.headers["X-Grades-Fallback"] == "timeout"

    # A student never fetched before: the empty fallback, as in the seed.
    response, elapsed = timed_get(client, GRADES.format("STU-NEVER"))
    assert elapsed < 0.75
    assert response.json() == {"student_id": "STU-NEVER", "grades": [], "cached": True}


def test_client_deadline_is_honoured_and_propagated(api_for, grade_service):
    server, client = api_for(GRADE_TIMEOUT_MS=1000, GRADE_DEADLINE_MS=2000)
    grade_service.set_faults(latency_ms=400)
    response, elapsed = timed_get(client, GRADES.format("STU-4"),
                                  headers={"X-Request-Timeout-Ms": "150"})
    assert response.json()["cached"] is True
    assert elapsed < 0.15 + 0.15, f"answered after {elapsed:.3f} s"
    # The grade service got the remaining budget and stopped working when it ran out.
    harness.poll(lambda: 'grade_service_requests_total{outcome="deadline_exceeded"} 1'
                 in harness.requests.get(grade_service.url("/metrics"), timeout=5).text,
                 timeout=3, what="grade service to give up at the propagated deadline")

    for bad in ("0", "-1", "abc", "1.5", "99999999999"):
        response = client.get(GRADES.format("STU-4"), headers={"X-Request-Timeout-Ms": bad})
        assert response.status_code == 400, bad
        assert "X-Request-Timeout-Ms" in response.json()["detail"]


def test_killed_grade_service_gives_the_last_known_grades_quickly(api_for, grade_service):
    _, client = api_for()
    fresh = client.get(GRADES.format("STU-5")).json()
    assert fresh["cached"] is False
    grade_service.process.send_signal(signal.SIGKILL)
    grade_service.process.wait(timeout=5)

    for _ in range(5):
        response, elapsed = timed_get(client, GRADES.format("STU-5"))
        assert response.status_code == 200
        assert response.json() == {**fresh, "cached": True}
        assert elapsed < 0.5 + 0.25
    assert breaker(client)["state"] == "open"


def test_outage_that_never_answers_costs_one_timeout(api_for, grade_service):
    _, client = api_for(GRADE_TIMEOUT_MS=300)
    grade_service.set_faults(outage=True)
    response, elapsed = timed_get(client, GRADES.format("STU-6"))
    assert response.json()["cached"] is True
    assert elapsed < 0.3 + 0.25
    grade_service.set_faults(outage=False)


def test_operator_can_reset_the_breaker(api_for, grade_service):
    server, client = api_for()
    grade_service.set_faults(error_rate=1.0)
    for _ in range(3):
        client.get(GRADES.format("STU-7"))
    assert breaker(client)["state"] == "open"
    grade_service.set_faults(error_rate=0.0)
    reset = client.post(BREAKERS + "/grade-service/reset")
    assert reset.status_code == 200 and reset.json()["state"] == "closed"
    assert client.get(GRADES.format("STU-7")).json()["cached"] is False
    missing = client.post(BREAKERS + "/nope/reset")
    assert missing.status_code == 404 and missing.json() == {"detail": "Circuit breaker not found"}
    server.wait_for_log(lambda r: r.get("msg") == "circuit breaker reset by operator"
                        and r.get("request_id") == reset.headers["X-Request-ID"])


def test_invalid_student_ids_are_422(api_for):
    _, client = api_for()
    for bad in ("STU%20X", "a" * 65, "%00", "STU.1"):
        response = client.get(GRADES.format(bad))
        assert response.status_code == 422, bad
        assert response.json()["detail"][0]["loc"] == ["path", "student_id"]


def test_grade_service_fault_endpoint_validates_input(grade_service):
    url = grade_service.url("/admin/faults")
    get = harness.requests.get
    put = harness.requests.put
    assert get(url, timeout=5).json() == {"error_rate": 0.0, "latency_ms": 0,
                                          "latency_jitter_ms": 0, "outage": False}
    for body in ({"error_rate": 2}, {"error_rate": "x"}, {"latency_ms": -1},
                 {"latency_ms": 1.5}, {"outage": "yes"}, {"unknown": 1}, [1], "x"):
        response = put(url, json=body, timeout=5)
        assert response.status_code == 422, (body, response.text)
        assert "detail" in response.json()
    response = put(url, data=b"error_rate=1", headers={"Content-Type": "text/plain"}, timeout=5)
    assert response.status_code == 415
    response = put(url, data=b"{", headers={"Content-Type": "application/json"}, timeout=5)
    assert response.status_code == 422
    # Nothing changed by the rejected requests; a valid partial update changes only its field.
    assert put(url, json={"latency_ms": 5}, timeout=5).json() == {
        "error_rate": 0.0, "latency_ms": 5, "latency_jitter_ms": 0, "outage": False}
    assert get(grade_service.url("/grades/%20"), timeout=5).status_code == 422
    assert get(grade_service.url("/health/live"), timeout=5).json() == {"status": "alive"}
    assert get(grade_service.url("/nope"), timeout=5).status_code == 404


def test_grade_service_refuses_invalid_settings(sre_binary, tmp_path):
    for env in ({"GRADE_ERROR_RATE": "1.5"}, {"GRADE_LATENCY_MS": "-3"}, {"PORT": "x"}):
        result = harness.subprocess.run(
            [str(sre_binary), "grade-service"], env=harness.clean_environment(env), cwd=tmp_path,
            capture_output=True, text=True, timeout=10)
        assert result.returncode == 2, (env, result.stderr)
        (line,) = result.stderr.strip().splitlines()
        assert next(iter(env)) in line


def test_grade_service_help_lists_its_settings(sre_binary, tmp_path):
    result = harness.subprocess.run([str(sre_binary), "grade-service", "--help"], cwd=tmp_path,
                                    env=harness.clean_environment(), capture_output=True,
                                    text=True, timeout=10)
    assert result.returncode == 0
    for name in (*harness.GRADE_SERVICE_SETTINGS, "PORT", "HOST", "8001"):
        assert name in result.stdout, name


def metric_total(text: str, name: str) -> float:
    """The sum of every series of `name`; MissingSeries when there is none."""
    series = harness.metric_series(text, name)
    if not series:
        raise harness.MissingSeries(f"no series {name} in /metrics")
    return sum(value for _, value in series)


def test_retries_stay_within_the_budget_of_ten_percent(api_for, grade_service):
    # A breaker that will not open, so every call tries; half the answers fail.
    _, client = api_for(CIRCUIT_BREAKER_FAILURE_THRESHOLD=1000, CIRCUIT_BREAKER_FAILURE_RATE=1,
                        GRADE_BACKOFF_BASE_MS=1, GRADE_BACKOFF_MAX_MS=2)
    grade_service.set_faults(error_rate=0.5)
    calls = 200
    for i in range(calls):
        assert client.get(GRADES.format(f"STU-R{i}")).status_code == 200
    metrics = client.get("/metrics").text
    retries = metric_total(metrics, "grade_client_retries_total")
    attempts = metric_total(metrics, "grade_client_attempts_total")
    assert 0 < retries <= 0.1 * calls, retries
    assert attempts == calls + retries
    assert grade_service.requests_served() == attempts
    assert harness.metric_value(metrics, "grade_client_rejections_total",
                                {"reason": "retry_budget_exhausted"}) > 0


def test_bulkhead_caps_concurrent_calls(api_for, grade_service):
    import concurrent.futures
    _, client = api_for(GRADE_MAX_CONCURRENT_CALLS=2, CIRCUIT_BREAKER_SLOW_CALL_MS=5000)
    grade_service.set_faults(latency_ms=300)
    url = client.url(GRADES.format("STU-B"))
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(lambda _: harness.requests.get(url, timeout=5), range(6)))
    reasons = [r.headers.get("X-Grades-Fallback") for r in responses]
    assert reasons.count(None) == 2, reasons
    assert reasons.count("bulkhead_full") == 4, reasons
    assert 'grade_client_rejections_total{reason="bulkhead_full"} 4' in client.get("/metrics").text


def test_a_timeout_is_not_retried_past_the_deadline_even_with_budget(api_for, grade_service):
    _, client = api_for()  # GRADE_TIMEOUT_MS = GRADE_DEADLINE_MS = 500 by default
    for i in range(50):  # healthy calls fill the retry budget (5 tokens)
        client.get(GRADES.format(f"STU-W{i}"))
    grade_service.set_faults(latency_ms=2000)
    response, elapsed = timed_get(client, GRADES.format("STU-W1"))
    assert response.json()["cached"] is True
    assert elapsed < 0.5 + 0.25, f"answered after {elapsed:.3f} s"


def test_last_known_grades_are_shared_through_redis(api_for, grade_service, redis_server):
    """With REDIS_URL the fallback is shared: a replica that never fetched a student answers
    with the grades another replica saw, and so does a restarted one."""
    redis = redis_server()
    _, first = api_for(REDIS_URL=redis.url)
    fresh = first.get(GRADES.format("STU-SHARED")).json()
    assert fresh["cached"] is False and fresh["grades"]

    grade_service.set_faults(error_rate=1.0)
    _, second = api_for(REDIS_URL=redis.url)
    # The first replica stores in the background: give that SET a moment to land.
    response = harness.poll(
        lambda: (r := second.get(GRADES.format("STU-SHARED"))).json()["grades"] and r,
        timeout=5, what="the second replica to answer from Redis")
    assert response.json() == {**fresh, "cached": True}
    assert response.headers["X-Grades-Fallback"]

    # Without Redis a replica only knows what it fetched itself: the seed's empty fallback.
    _, alone = api_for()
    assert alone.get(GRADES.format("STU-SHARED")).json() == {
        "student_id": "STU-SHARED", "grades": [], "cached": True}


def test_last_known_grades_survive_a_redis_outage_in_process(api_for, grade_service,
                                                             redis_server):
    redis = redis_server()
    _, client = api_for(REDIS_URL=redis.url)
    fresh = client.get(GRADES.format("STU-BOTH")).json()
    assert fresh["cached"] is False
    redis.stop()
    grade_service.set_faults(error_rate=1.0)
    response = client.get(GRADES.format("STU-BOTH"))
    assert response.status_code == 200
    assert response.json() == {**fresh, "cached": True}
