"""`sre-playground loadtest` against real servers: the open loop's latency checked against a
grade service with a known injected delay (GRADE_LATENCY_MS), coordinated omission corrected
when the server stalls, and the mix against the API.

The tool runs as a process with --json; its report is read from stdout."""
from __future__ import annotations

import json
import subprocess
import threading
import time

import pytest

import harness


def loadtest(binary, *args: str, timeout: float = 60) -> tuple[int, dict | None, str]:
    """Runs `sre-playground loadtest --json ARGS`: (exit code, report or None, stderr)."""
    done = subprocess.run([str(binary), "loadtest", "--json", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=harness.REPO_ROOT,
                          env=harness.clean_environment())
    report = json.loads(done.stdout) if done.stdout.strip() else None
    return done.returncode, report, done.stderr


@pytest.fixture
def grade_service(sre_binary, tmp_path):
    started = []

    def start(**env):
        service = harness.start_grade_service(tmp_path / f"grade-service-{len(started)}",
                                              env={k: str(v) for k, v in env.items()},
                                              binary=sre_binary)
        started.append(service)
        return service

    yield start
    for service in started:
        service.stop(timeout=5)


def test_open_loop_latency_is_the_injected_delay(sre_binary, grade_service):
    service = grade_service(GRADE_LATENCY_MS=200)
    # 20 req/s over 8 connections: each connection has 400 ms between its requests, more than
    # the 200 ms each takes, so no request waits for its connection and every latency is the
    # server's delay plus loopback.
    code, report, stderr = loadtest(sre_binary, "--target-url", service.base_url,
                                    "--target-path", "/grades/STU-1", "--mode", "open",
                                    "--rate", "20", "--connections", "8",
                                    "--duration-seconds", "3", "--slo-file", "")
    assert code == 0, stderr
    assert report["answered"] == 60 and report["errors"] == 0, report
    assert report["statuses"] == {"200": 60}
    latency = report["latency_ms"]
    assert latency["min"] >= 200, latency
    assert 200 <= latency["p50"] < 300, latency
    assert latency["p99"] < 1000, latency
    assert 15 <= report["throughput_rps"] <= 25, report


def test_open_loop_counts_a_stall_against_every_request_it_delayed(sre_binary, grade_service):
    """A 1 s outage at 50 req/s on one connection delays about 50 requests by up to 1 s. The
    open loop times each from when it was due, so the stall reaches p90 and p99 and breaches
    the latency objective; a closed loop sees one slow request."""
    service = grade_service()

    def stall():
        time.sleep(1.2)
        service.set_faults(outage=True)
        time.sleep(1.0)
        service.set_faults(outage=False)

    def run(*mode: str):
        staller = threading.Thread(target=stall)
        staller.start()
        try:
            return loadtest(sre_binary, "--target-url", service.base_url,
                            "--target-path", "/grades/STU-1", "--connections", "1",
                            "--duration-seconds", "4", *mode)
        finally:
            staller.join()

    code, report, stderr = run("--mode", "open", "--rate", "50")
    assert report is not None, stderr
    latency = report["latency_ms"]
    assert report["answered"] == 200 and report["errors"] == 0, report
    assert latency["p99"] >= 800, latency
    assert latency["p90"] >= 400, latency
    assert latency["p50"] < 100, latency
    assert code == 1, "the latency objective (99% within 250 ms) is breached"
    verdict = {j["objective"]: j for j in report["verdict"]}
    assert not verdict["api-latency"]["met"] and verdict["api-availability"]["met"], verdict

    code, closed, stderr = run("--mode", "closed")
    assert closed is not None, stderr
    assert closed["latency_ms"]["max"] >= 800, closed["latency_ms"]
    assert closed["latency_ms"]["p90"] < 100, "the closed loop hides the stall"


def test_the_mix_against_the_api(sre_binary, start_server):
    server = start_server()
    code, report, stderr = loadtest(sre_binary, "--target-url", server.base_url,
                                    "--requests", "300", "--duration-seconds", "0",
                                    "--connections", "4", "--grades-weight", "0",
                                    "--read-weight", "6", "--list-weight", "2",
                                    "--create-weight", "2")
    assert code == 0, stderr
    assert report["answered"] == 300 and report["errors"] == 0, report
    statuses = report["statuses"]
    assert set(statuses) == {"200", "201"}, statuses
    assert 30 <= statuses["201"] <= 90, "about a fifth of the requests are creates"
    # The store was empty: the set-up created students for the reads.
    students = server.client().get("/api/v1/students?limit=100").json()
    assert len(students) >= 10 + statuses["201"]
    assert report["workload"] == "read 60%, list 20%, create 20%"


@pytest.mark.parametrize("args, message", [
    (("--mode", "open"), "MODE=open needs a RATE"),
    (("--rate", "10"), "set MODE=open too"),
    (("--duration-seconds", "0"), "needs a REQUESTS limit"),
    (("--target-url", "http://127.0.0.1:1/x"), "TARGET_URL"),
])
def test_contradicting_settings_exit_2(sre_binary, args, message):
    code, report, stderr = loadtest(sre_binary, *args)
    assert code == 2 and report is None
    assert message in stderr
