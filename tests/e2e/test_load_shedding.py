"""Load shedding and chaos rules, end to end.

Overload: a route made slow (100 ms) by a chaos rule and an in-flight bound of 8 give the API
a capacity of about 80 requests/s; 32 client threads offer several times that. The process
must stay up, admitted requests must keep their latency (p99 under the 500 ms objective of
SrePlaygroundHighLatency), the rest must get 503 + Retry-After quickly, never a timeout, and
liveness must keep answering."""
from __future__ import annotations

import threading
import time

import pytest
import requests

import harness
from harness import raw_request

CHAOS = "/api/v1/admin/chaos"
STUDENTS_ROUTE = "/api/v1/students"
LATENCY_OBJECTIVE = 0.5


def put_chaos(client, rules):
    return client.put(CHAOS, json={"rules": rules})


def hammer(url, seconds, threads):
    """Each thread loops GET url on its own keep-alive session. Returns (status, seconds)
    pairs and the exceptions seen (timeouts, resets)."""
    results, errors = [], []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker():
        session = requests.Session()
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                response = session.get(url, timeout=5)
                outcome = (response.status_code, time.perf_counter() - started,
                           response.headers.get("Retry-After"))
            except requests.RequestException as error:  # noqa: PERF203
                with lock:
                    errors.append(repr(error))
                continue
            with lock:
                results.append(outcome)
        session.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results, errors


def trickled_get(server, path, stall):
    """GET `path` whose head arrives `stall` seconds after its first byte. The server's queue
    delay runs from the first byte read to the shedder, so on the server this request waited
    `stall` seconds, as one would in the ready queue of a saturated event loop. A trickle is
    used because it makes the delay exact and the test independent of this machine's speed."""
    with server.raw(timeout=10) as conn:
        request = raw_request("GET", path)
        conn.send(request[:1])
        time.sleep(stall)
        conn.send(request[1:])
        return conn.read_response()


def trickle(server, path, stall, seconds, threads):
    """`threads` threads sending trickled GETs back to back for `seconds`: a standing queue
    of `stall` seconds. Returns the responses."""
    responses = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker():
        while time.monotonic() < stop_at:
            response = trickled_get(server, path, stall)
            with lock:
                responses.append(response)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return responses


def shed_count(client, reason):
    return harness.metric_value(client.get("/metrics").text, "http_requests_shed_total",
                                {"reason": reason})


def p99(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


@pytest.mark.slow
def test_overload_is_shed_with_503_while_admitted_requests_keep_their_latency(start_server):
    server = start_server(env={"MAX_IN_FLIGHT": "8", "WORKER_THREADS": "1",
                               "ACCESS_LOG_SAMPLE_RATE": "0"})
    client = server.admin_client()
    assert put_chaos(client, [{"route": STUDENTS_ROUTE, "latency_ms": 100,
                               "duration_seconds": 60}]).status_code == 200

    live_latencies = []
    load = threading.Thread(target=lambda: load_results.extend(
        [hammer(server.url(STUDENTS_ROUTE), seconds=3, threads=32)]))
    load_results = []
    load.start()
    while load.is_alive():
        started = time.perf_counter()
        assert client.get("/health/live").status_code == 200
        live_latencies.append(time.perf_counter() - started)
        time.sleep(0.05)
    load.join()
    (results, errors) = load_results[0]

    assert server.process.is_running()
    assert not errors, errors[:5]
    statuses = {status for status, _, _ in results}
    assert statuses <= {200, 503}, statuses
    admitted = [seconds for status, seconds, _ in results if status == 200]
    shed = [(seconds, retry) for status, seconds, retry in results if status == 503]
    assert admitted and shed, (len(admitted), len(shed))
    assert len(shed) > len(admitted), "offered load should be several times the capacity"
    assert p99(admitted) < LATENCY_OBJECTIVE, f"p99 of admitted {p99(admitted):.3f} s"
    assert all(retry == "1" for _, retry in shed)
    # Quick "no" (client-side times include this Python load generator's own queueing).
    shed_times = sorted(seconds for seconds, _ in shed)
    assert shed_times[len(shed_times) // 2] < 0.05, "a 503 must be quick"
    assert p99(shed_times) < LATENCY_OBJECTIVE
    # Liveness is never shed nor queued behind the load (client-side times include this
    # Python load generator's own GIL contention, hence the loose bound on the maximum).
    assert sorted(live_latencies)[len(live_latencies) // 2] < 0.05, live_latencies
    assert max(live_latencies) < LATENCY_OBJECTIVE, live_latencies

    metrics = client.get("/metrics").text
    shed_line = next(line for line in metrics.splitlines()
                     if line.startswith('http_requests_shed_total{reason="in_flight"}'))
    assert float(shed_line.split()[-1]) == len(shed)
    server.wait_for_log(lambda r: r.get("msg") == "shedding load" and r.get("request_id"))
    client.close()


def test_operational_routes_are_never_shed(start_server):
    """README: never shed /health/live, /health/ready, /metrics and /api/v1/admin/*. One
    request held in flight (chaos latency) fills MAX_IN_FLIGHT=1 on the one I/O thread: any
    other request is shed at once, while every operational route still answers."""
    server = start_server(env={"MAX_IN_FLIGHT": "1", "WORKER_THREADS": "1"})
    client = server.admin_client()
    assert put_chaos(client, [{"route": STUDENTS_ROUTE, "latency_ms": 3000,
                               "duration_seconds": 60}]).status_code == 200
    held = threading.Thread(target=requests.get, args=(server.url(STUDENTS_ROUTE),),
                            kwargs={"timeout": 10})
    held.start()
    try:
        # (A list: a 503 Response is falsy.)
        (shed,) = harness.poll(lambda: [r for r in [client.get("/")] if r.status_code == 503],
                               5, what="the bound of one request in flight reached")
        assert shed.json() == {"detail": "Service overloaded; retry later"}
        assert shed.headers["Retry-After"] == "1"
        for path in ("/health/live", "/health/ready", "/metrics", CHAOS,
                     "/api/v1/admin/circuit-breakers"):
            assert client.get(path).status_code == 200, path
        assert client.get("/").status_code == 503, "the held request ended too early"
    finally:
        held.join(timeout=10)
    # The held request gave its slot back: the next one is admitted.
    assert client.get("/").status_code == 200
    assert shed_count(client, "in_flight") >= 2
    client.close()


def test_a_standing_queue_is_shed_for_its_delay_and_one_stall_is_not(start_server):
    """MAX_QUEUE_DELAY_MS through the middleware (the CoDel-style rule of the README): a
    request that waited over the bound is shed only when every request of the previous 100 ms
    on its thread did too. One slow request alone is served; trickled requests back to back
    (each waited 150 ms against a 50 ms bound) are shed for their delay; a request that did
    not wait is served even then."""
    server = start_server(env={"MAX_QUEUE_DELAY_MS": "50", "MAX_IN_FLIGHT": "0",
                               "WORKER_THREADS": "1"})
    client = server.client()
    assert trickled_get(server, "/", stall=0.3).status == 200, "one stall sheds nothing"
    time.sleep(0.3)  # that request's window is over

    responses = []
    load = threading.Thread(target=lambda: responses.extend(
        trickle(server, "/", stall=0.15, seconds=2, threads=6)))
    load.start()
    time.sleep(1)
    unqueued = client.get("/")
    load.join()
    assert unqueued.status_code == 200, "a request that did not wait is not shed"

    statuses = [r.status for r in responses]
    assert set(statuses) <= {200, 503}, statuses
    shed = [r for r in responses if r.status == 503]
    assert len(shed) >= len(responses) // 2, f"a standing queue was not shed: {statuses}"
    for response in shed:
        assert response.json() == {"detail": "Service overloaded; retry later"}
        assert response.header("Retry-After") == "1"
    assert shed_count(client, "queue_delay") == len(shed)
    assert shed_count(client, "in_flight") == 0
    # The delay is the server's: from the request's first bytes to the shedder. The client's
    # 150 ms stall shows in it less the time those first bytes took to be read, a few ms at most
    # on a busy machine (149,963 µs was seen once), so the check leaves 30 ms; the bound is 50.
    server.wait_for_log(lambda r: r.get("msg") == "shedding load"
                        and r.get("reason") == "queue_delay" and r["queue_delay_us"] >= 120_000,
                        what="the shedding log line with the request's delay")
    client.close()


@pytest.mark.parametrize("bounded", [True, False], ids=["bounds 4 and 50ms", "bounds 0"])
def test_without_a_bound_nothing_is_shed(start_server, bounded):
    """0 switches a bound off. The same two loads, 16 requests held 50 ms each at once, then
    a standing queue of 150 ms, are shed for their reason with small bounds (so each load is
    known to be enough) and not at all with 0 (the middleware is then left out)."""
    limits = ("4", "50") if bounded else ("0", "0")
    server = start_server(env={"MAX_IN_FLIGHT": limits[0], "MAX_QUEUE_DELAY_MS": limits[1],
                               "WORKER_THREADS": "1", "ACCESS_LOG_SAMPLE_RATE": "0"})
    client = server.admin_client()
    assert put_chaos(client, [{"route": STUDENTS_ROUTE, "latency_ms": 50,
                               "duration_seconds": 60}]).status_code == 200
    results, errors = hammer(server.url(STUDENTS_ROUTE), seconds=1.5, threads=16)
    assert not errors, errors[:5]
    time.sleep(0.3)  # the in-flight load's window is over
    trickled = trickle(server, "/", stall=0.15, seconds=1.5, threads=4)
    in_flight_statuses = {status for status, _, _ in results}
    queue_statuses = {r.status for r in trickled}
    metrics = client.get("/metrics").text
    if bounded:
        assert in_flight_statuses == queue_statuses == {200, 503}
        assert harness.metric_value(metrics, "http_requests_shed_total",
                                    {"reason": "in_flight"}) > 0
        assert harness.metric_value(metrics, "http_requests_shed_total",
                                    {"reason": "queue_delay"}) > 0
    else:
        assert in_flight_statuses == queue_statuses == {200}
        assert harness.metric_series(metrics, "http_requests_shed_total") == []
    client.close()


def test_chaos_rules_inject_errors_and_latency_for_a_while_then_end(start_server):
    server = start_server()
    client = server.admin_client()
    rules = [{"route": "/", "error_rate": 1.0, "error_status": 502, "duration_seconds": 1},
             {"route": STUDENTS_ROUTE, "latency_ms": 200, "duration_seconds": 30}]
    response = put_chaos(client, rules)
    assert response.status_code == 200, response.text
    active = {rule["route"]: rule for rule in response.json()["rules"]}
    assert active["/"]["error_status"] == 502 and active["/"]["seconds_left"] == 1
    assert client.get(CHAOS).json()["rules"] == response.json()["rules"]

    broken = client.get("/")
    assert broken.status_code == 502
    assert broken.headers["X-Chaos-Injected"] == "error"
    started = time.perf_counter()
    assert client.get(STUDENTS_ROUTE).status_code == 200
    assert time.perf_counter() - started >= 0.2
    server.wait_for_log(lambda r: r.get("msg") == "chaos: injected error"
                        and r.get("request_id") == broken.headers["X-Request-ID"])

    time.sleep(1.1)  # the error rule expires by itself
    assert client.get("/").status_code == 200
    assert put_chaos(client, []).json() == {"rules": []}  # and an empty list ends the rest
    started = time.perf_counter()
    client.get(STUDENTS_ROUTE)
    assert time.perf_counter() - started < 0.2
    assert 'chaos_injected_total{kind="error"} 1' in client.get("/metrics").text
    client.close()


@pytest.mark.parametrize("body", [
    {"rules": [{"route": "/nope", "latency_ms": 1}]},
    {"rules": [{"route": "/health/live", "latency_ms": 1}]},
    {"rules": [{"route": "/metrics", "error_rate": 1}]},
    {"rules": [{"route": "/api/v1/admin/chaos", "error_rate": 1}]},
    {"rules": [{"latency_ms": 1}]},
    {"rules": [{"route": "/", "latency_ms": -1}]},
    {"rules": [{"route": "/", "latency_ms": 10 ** 9}]},
    {"rules": [{"route": "/", "error_rate": 1.5}]},
    {"rules": [{"route": "/", "error_status": 200}]},
    {"rules": [{"route": "/", "duration_seconds": 0}]},
    {"rules": [{"route": "/", "surprise": True}]},
    {"rules": [{"route": "/"}] * 65},
    {"rules": {"route": "/"}},
    {"rules": ["x"]},
    {"other": []},
    [],
])
def test_chaos_refuses_invalid_rules_and_changes_nothing(admin_api, body):
    response = admin_api.put(CHAOS, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][:2] == ["body", "rules"] or body == []
    assert admin_api.get(CHAOS).json() == {"rules": []}


def test_chaos_needs_json(admin_api):
    response = admin_api.put(CHAOS, data=b"rules", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    response = admin_api.put(CHAOS, data=b"{\"rules\":",
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 422
