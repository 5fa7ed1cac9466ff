"""scripts/stack: the whole system (PostgreSQL, Redis, moto, grade service, 3 API replicas
behind nginx, worker, Prometheus, Alertmanager) from one command, on free loopback ports.

One stack for the module, every port moved off the seed's defaults (which may be taken on a
shared machine) and STACK_DIR in a temporary directory. The tests run in order: up (twice),
a replica killed under traffic, a rolling restart under steady load with zero failed
requests, and down leaving no process and no port behind.
"""
from __future__ import annotations

import concurrent.futures
import os
import signal
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests

import harness

pytestmark = pytest.mark.slow

STACK = harness.REPO_ROOT / "scripts" / "stack"
PORT_VARIABLES = ("STACK_NGINX_PORT", "STACK_GRADE_SERVICE_PORT", "STACK_WORKER_PORT",
                  "STACK_POSTGRES_PORT", "STACK_REDIS_PORT", "STACK_MOTO_PORT",
                  "STACK_PROMETHEUS_PORT", "STACK_ALERTMANAGER_PORT")
REPLICAS = ("api-1", "api-2", "api-3")
PARTS = ("postgres", "redis", "moto", "grade-service", "api-1", "api-2", "api-3", "worker",
         "nginx", "prometheus", "alertmanager")


class Stack:
    def __init__(self, directory: Path, binary: Path):
        self.directory = directory
        ports = harness.free_ports(len(PORT_VARIABLES) + 3)
        self.ports = dict(zip(PORT_VARIABLES, ports))
        self.api_ports = ports[len(PORT_VARIABLES):]
        self.env = harness.clean_environment({
            **{name: str(port) for name, port in self.ports.items()},
            "STACK_API_PORTS": ",".join(map(str, self.api_ports)),
            "STACK_DIR": str(directory), "SRE_PLAYGROUND_BIN": str(binary),
            # Settings the stack passes on to the replicas and the worker.
            "RATE_LIMIT_ENABLED": "false",     # the load below is one client
            "SHUTDOWN_DELAY_SECONDS": "1",
            "WORKER_WAIT_SECONDS": "1",        # a SIGTERM waits for the SQS long poll
            "GRADE_ERROR_RATE": "0",
        })

    @property
    def url(self) -> str:
        return f"http://{harness.LOOPBACK}:{self.ports['STACK_NGINX_PORT']}"

    def port(self, part: str) -> int:
        if part.startswith("api-"):
            return self.api_ports[int(part[4:]) - 1]
        return self.ports["STACK_" + part.upper().replace("-", "_") + "_PORT"]

    def run(self, *args: str, timeout: float = 120,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([str(STACK), *args], env={**self.env, **(env or {})},
                              capture_output=True, text=True, timeout=timeout, check=False)

    def must(self, *args: str, timeout: float = 120, env: dict[str, str] | None = None) -> str:
        result = self.run(*args, timeout=timeout, env=env)
        assert result.returncode == 0, (f"scripts/stack {' '.join(args)} exited "
                                        f"{result.returncode}:\n{result.stdout}{result.stderr}")
        return result.stdout

    def status(self) -> tuple[int, dict[str, dict[str, str]]]:
        """Exit code of `status` and its table, one row per part."""
        result = self.run("status")
        lines = result.stdout.splitlines()
        assert lines[0].split() == ["PART", "PID", "PORT", "HEALTH", "UPTIME"], result.stdout
        rows = {}
        for line in lines[1:]:
            part, pid, port, health, uptime = line.split()
            rows[part] = {"pid": pid, "port": port, "health": health, "uptime": uptime}
        return result.returncode, rows

    def recorded_pids(self) -> dict[str, int]:
        return {path.stem: int(path.read_text().split()[0])
                for path in (self.directory / "run").glob("*.pid")}

    def log_count(self, part: str, text: str) -> int:
        return (self.directory / "logs" / f"{part}.log").read_text(errors="replace").count(text)

    def nginx_connections_to(self, port: int) -> int:
        """Established connections from nginx's processes to 127.0.0.1:port."""
        inodes = set()
        for pid in session_members(self.recorded_pids()["nginx"]):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                target = os.readlink(fd) if fd.is_symlink() else ""
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        remote = f"0100007F:{port:04X}"
        return sum(1 for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
                   if line.split()[2] == remote and line.split()[3] == "01"
                   and line.split()[9] in inodes)

    def nginx_errors(self) -> list[str]:
        """nginx's own log lines about its upstreams (why it failed or passed a request on)."""
        text = (self.directory / "logs" / "nginx.log").read_text(errors="replace")
        return [line for line in text.splitlines() if "upstream" in line][-20:]

    def access_log_upstreams(self) -> list[str]:
        text = (self.directory / "logs" / "nginx.access.log").read_text()
        return [line.split("upstream=")[1].split(" status=")[0] for line in text.splitlines()
                if "upstream=" in line]


def port_is_free(port: int) -> bool:
    """Whether nothing listens on 127.0.0.1:port, found by binding it (no traffic to it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((harness.LOOPBACK, port))
        except OSError:
            return False
    return True


def session_members(leader: int) -> list[int]:
    """Processes still alive (not zombies) in the session the stack created for a part."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        if fields[0] != "Z" and int(fields[3]) == leader:
            members.append(int(entry))
    return members


@pytest.fixture(scope="module")
def stack(sre_binary):
    # PostgreSQL runs as its own account when the tests run as root: the directory must be
    # reachable by it, which pytest's private tmp_path is not.
    directory = Path(tempfile.mkdtemp(prefix="sre-stack-"))
    os.chmod(directory, 0o755)
    stack = Stack(directory, sre_binary)
    yield stack
    stack.run("down", timeout=120)
    for pid in stack.recorded_pids().values():  # a failed test may have left a part running
        for member in session_members(pid):
            os.kill(member, 9)
    shutil.rmtree(directory, ignore_errors=True)


def test_up_starts_every_part_healthy_and_twice_is_idempotent(stack):
    began = time.monotonic()
    stack.must("up")
    print(f"first up: {time.monotonic() - began:.1f}s")
    code, rows = stack.status()
    assert code == 0, rows
    assert list(rows) == list(PARTS)
    for part, row in rows.items():
        assert row["health"] == "healthy", (part, row)
        assert row["port"] == str(stack.port(part)), (part, row)
        assert row["pid"].isdigit(), (part, row)
    pids = {part: row["pid"] for part, row in rows.items()}

    began = time.monotonic()
    output = stack.must("up")
    assert "healthy on" not in output, output  # nothing started the second time
    assert {part: row["pid"] for part, row in stack.status()[1].items()} == pids
    print(f"second up: {time.monotonic() - began:.1f}s")

    # nginx spreads requests over the three replicas, which share PostgreSQL; the worker
    # counts the new student from the outbox (or the queue).
    for _ in range(12):
        assert requests.get(stack.url + "/api/v1/students?limit=1", timeout=5).status_code == 200
    assert set(stack.access_log_upstreams()) >= {f"127.0.0.1:{p}" for p in stack.api_ports}
    created = requests.post(stack.url + "/api/v1/students", timeout=5,
                            json={"first_name": "Stack", "last_name": "Up", "grade": 3})
    assert created.status_code == 201, created.text
    # The replicas relay the event to SQS in moto, and the worker counts it from the queue.
    def published() -> float:
        return sum(harness.metric_value(
            requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text,
            "events_published_total", {"destination": "sqs"}) for port in stack.api_ports)
    harness.poll(lambda: published() >= 1, timeout=20, what="the event published to SQS")
    harness.poll(lambda: requests.get(stack.url + "/api/v1/stats/grades", timeout=5)
                 .json()["total_students"] >= 1, timeout=20, what="the worker's count")
    # The worker deletes a message after applying it: the count can be seen a moment before.
    def deleted() -> float:
        worker_metrics = requests.get(f"http://127.0.0.1:{stack.port('worker')}/metrics",
                                      timeout=5).text
        return harness.metric_value(worker_metrics, "aws_requests_total", {
            "service": "sqs", "operation": "DeleteMessageBatch", "outcome": "success"})
    harness.poll(lambda: deleted() >= 1, timeout=20, what="the message deleted by the worker")


def test_a_killed_replica_costs_no_request_and_starts_again(stack):
    stack.must("kill", "api-2")
    code, rows = stack.status()
    assert code == 1 and rows["api-2"]["health"] == "stopped", rows
    session = requests.Session()
    for i in range(60):
        if i % 3 == 0:
            response = session.post(stack.url + "/api/v1/students", timeout=5,
                                    json={"first_name": f"K{i}", "last_name": "X", "grade": 4})
            assert response.status_code == 201, response.text
        else:
            response = session.get(stack.url + "/api/v1/students?limit=2", timeout=5)
            assert response.status_code == 200, response.text
    stack.must("start", "api-2")
    code, rows = stack.status()
    assert code == 0, rows


def test_redis_or_moto_down_fails_no_request_and_writes_return_with_postgres(stack):
    session = requests.Session()

    def create(name: str) -> requests.Response:
        return session.post(stack.url + "/api/v1/students", timeout=10,
                            json={"first_name": name, "last_name": "Chaos", "grade": 6})

    for part in ("redis", "moto"):
        stack.must("kill", part)
        for i in range(10):
            assert create(f"{part}{i}").status_code == 201
            assert session.get(stack.url + "/api/v1/students?limit=3",
                               timeout=10).status_code == 200
        stack.must("start", part)

    stack.must("kill", "postgres")
    refused = create("postgres")
    assert refused.status_code == 503 and refused.headers["Retry-After"], refused.text
    stack.must("start", "postgres")
    harness.poll(lambda: create("back").status_code == 201, timeout=10,
                 what="a create answered 201 after PostgreSQL returned")
    # The creates made while moto was down send the relay to the restarted (empty) moto: it
    # provisions the queue and table again, and the worker finds its queue: all healthy.
    harness.poll(lambda: stack.status()[0] == 0, timeout=30, interval=0.5,
                 what="every part healthy again")


class SteadyLoad:
    """Clients on keep-alive connections through nginx, a create for every two lists, until
    stopped; every answer other than 201/200, and every transport error, is a failure."""

    def __init__(self, url: str, clients: int = 4, rate: float = 40.0):
        self.url = url
        self.interval = 1.0 / rate  # per client: moto's queue slows down as it grows
        self.running = True
        self.ok = 0
        self.failures: list[str] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.client, args=(i,)) for i in range(clients)]

    def client(self, number: int) -> None:
        session = requests.Session()
        sent = 0
        while self.running:
            sent += 1
            time.sleep(self.interval)
            try:
                if sent % 3 == 0:
                    response = session.post(
                        self.url + "/api/v1/students", timeout=10,
                        json={"first_name": f"Load{number}", "last_name": "R", "grade": 9})
                    good = response.status_code == 201
                else:
                    response = session.get(self.url + "/api/v1/students?limit=5", timeout=10)
                    good = response.status_code == 200
                outcome = None if good else f"{response.status_code} {response.text[:120]}"
            except requests.RequestException as error:
                outcome = repr(error)
            with self.lock:
                if outcome is None:
                    self.ok += 1
                else:
                    self.failures.append(outcome)

    def __enter__(self) -> "SteadyLoad":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.running = False
        for thread in self.threads:
            thread.join(timeout=30)


def test_rollout_under_steady_load_fails_no_request(stack):
    before = {part: row["pid"] for part, row in stack.status()[1].items()}
    clean_exits = {part: stack.log_count(part, '"msg":"stopped"') for part in REPLICAS}
    with SteadyLoad(stack.url) as load:
        time.sleep(0.5)
        began = time.monotonic()
        output = stack.must("rollout")
        duration = time.monotonic() - began
        time.sleep(0.5)
    print(output)
    print(f"rollout: {duration:.1f}s, {load.ok} requests answered, "
          f"{len(load.failures)} failed")
    assert load.failures == [], (load.failures[:10], stack.nginx_errors())
    assert load.ok > 100, load.ok
    code, rows = stack.status()
    for part in REPLICAS:
        assert rows[part]["health"] == "healthy", rows
        assert rows[part]["pid"] != before[part], (part, before, rows)
        # Each old replica drained and exited by itself (SIGTERM), not killed mid-request.
        assert stack.log_count(part, '"msg":"stopped"') == clean_exits[part] + 1, part
    for part in set(PARTS) - set(REPLICAS):
        assert rows[part]["pid"] == before[part], (part, before, rows)


def test_a_replica_dying_with_creates_in_hand_costs_no_create(stack):
    """A replica frozen (SIGSTOP: connections accepted, requests never read) and then killed
    holds the creates nginx sent it. nginx passes them to another replica, which is safe
    because each carries an Idempotency-Key: every create is answered 201, once."""
    frozen = stack.recorded_pids()["api-1"]
    os.kill(frozen, signal.SIGSTOP)
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
            creates = [pool.submit(requests.post, stack.url + "/api/v1/students", timeout=20,
                                   json={"first_name": f"Frozen{i}", "last_name": "Z",
                                         "grade": 11}) for i in range(6)]
            harness.poll(lambda: stack.nginx_connections_to(stack.port("api-1")),
                         timeout=5, what="nginx holding a request on the frozen replica")
            time.sleep(0.3)
            os.kill(frozen, signal.SIGKILL)
            answers = [future.result() for future in creates]
    finally:
        if session_members(frozen):
            os.kill(frozen, signal.SIGKILL)
    assert [a.status_code for a in answers] == [201] * 6, [a.text[:100] for a in answers]
    assert len({a.json()["student_id"] for a in answers}) == 6
    retried = [u for u in stack.access_log_upstreams() if f":{stack.port('api-1')}, " in u]
    assert retried, "no create was passed on from the frozen replica"
    stack.must("start", "api-1")


def test_every_other_part_killed_and_started_again(stack):
    """The parts not killed above, one at a time: what users see while each is gone."""
    session = requests.Session()

    def reads_answer() -> None:
        for _ in range(3):
            response = session.get(stack.url + "/api/v1/students?limit=2", timeout=10)
            assert response.status_code == 200, response.text

    student = session.post(stack.url + "/api/v1/students", timeout=10, json={
        "first_name": "Kill", "last_name": "Each", "grade": 5}).json()["student_id"]
    grades = f"{stack.url}/api/v1/students/{student}/grades"
    for _ in range(3):  # fresh grades, kept as the last known ones
        assert session.get(grades, timeout=10).json()["cached"] is False

    # The grade service: the last known grades answer, marked as such.
    stack.must("kill", "grade-service")
    answer = session.get(grades, timeout=10)
    assert answer.status_code == 200 and answer.json()["cached"] is True, answer.text
    assert answer.headers.get("X-Grades-Fallback"), answer.headers
    stack.must("start", "grade-service")

    # The worker: writes go on; the events wait in the queue and are counted once it is back.
    counted = session.get(stack.url + "/api/v1/stats/grades", timeout=10).json()
    stack.must("kill", "worker")
    # The killed worker's long poll goes on in moto for up to WORKER_WAIT_SECONDS: a message
    # sent meanwhile would be handed to the dead connection and stay invisible for the queue's
    # visibility timeout (30 s), as SQS does. Nothing shows when that poll ends: wait it out.
    time.sleep(float(stack.env["WORKER_WAIT_SECONDS"]) + 0.5)
    for i in range(3):
        created = session.post(stack.url + "/api/v1/students", timeout=10, json={
            "first_name": f"Queued{i}", "last_name": "W", "grade": 12})
        assert created.status_code == 201, created.text
    stack.must("start", "worker")
    try:
        harness.poll(lambda: session.get(stack.url + "/api/v1/stats/grades", timeout=10).json()
                     ["welcome_notifications"] >= counted["welcome_notifications"] + 3,
                     timeout=60, interval=0.5,
                     what="the worker catching up on the events written while it was down")
    except TimeoutError as error:
        relays = [requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
                  for port in stack.api_ports]
        shipped = [[line for line in text.splitlines()
                    if line.startswith(("events_published_total", "outbox_pending"))]
                   for text in relays]
        worker_log = (stack.directory / "logs" / "worker.log").read_text().splitlines()[-15:]
        raise AssertionError(f"{error}\nrelays: {shipped}\nworker:\n" + "\n".join(worker_log))

    # Prometheus and Alertmanager: the service does not depend on them.
    for part in ("prometheus", "alertmanager"):
        stack.must("kill", part)
        reads_answer()
        stack.must("start", part)

    # nginx: its workers outlive a killed master and go on serving (as nginx does); `start`
    # stops them and starts a new master. The replicas answer on their own ports throughout.
    killed = stack.recorded_pids()["nginx"]
    stack.must("kill", "nginx")
    reads_answer()
    for port in stack.api_ports:
        assert requests.get(f"http://127.0.0.1:{port}/api/v1/students?limit=1",
                            timeout=10).status_code == 200
    stack.must("start", "nginx")
    assert session_members(killed) == [], "the old workers outlived the new start"
    assert stack.recorded_pids()["nginx"] != killed
    session = requests.Session()
    reads_answer()
    try:
        harness.poll(lambda: stack.status()[0] == 0, timeout=30, interval=0.5,
                     what="every part healthy again")
    except TimeoutError as error:
        raise AssertionError(f"{error}: {stack.status()[1]}") from None


def test_the_seed_demo_passes_every_step(stack):
    # The demo shows the seed's rate limits, which the load above needed off: the replicas
    # start again with them (nothing was created under them yet, so every bucket is full).
    with_limits = {"RATE_LIMIT_ENABLED": "true", "DEMO_PAUSE": "0.2"}
    stack.must("restart", "api", env=with_limits, timeout=180)
    began = time.monotonic()
    result = subprocess.run([str(harness.REPO_ROOT / "scripts" / "demo")],
                            env={**stack.env, **with_limits}, capture_output=True, text=True,
                            timeout=600, check=False)
    print(result.stdout)
    print(f"demo: {time.monotonic() - began:.1f}s")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all 7 steps passed" in result.stdout


def test_down_leaves_no_process_and_no_port(stack):
    pids = stack.recorded_pids()
    assert sorted(pids) == sorted(PARTS)
    stack.must("down")
    for part, pid in pids.items():
        assert session_members(pid) == [], f"{part} (session {pid}) left processes behind"
    for part in PARTS:
        assert port_is_free(stack.port(part)), f"{part}: port {stack.port(part)} still taken"
    assert list((stack.directory / "run").glob("*.pid")) == []
    code, rows = stack.status()
    assert code == 1 and {row["health"] for row in rows.values()} == {"stopped"}, rows
