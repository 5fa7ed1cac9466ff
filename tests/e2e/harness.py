"""Reusable pieces for the end-to-end suites: real processes on free loopback ports.

Nothing here is specific to one test file. Later suites (PostgreSQL, Redis, grade service) use
the same building blocks:

- ``free_port()``: a TCP port nobody listens on right now.
- ``ManagedProcess``: start a process with its output in a log file, wait for a port or a URL,
  stop it (SIGTERM, wait, SIGKILL as last resort) by the PID it started, never by name.
- ``RawConnection``: a tiny HTTP/1.1 client over a plain socket for what ``requests`` cannot
  send (oversized heads, malformed request lines, half requests, pipelining, keep-alive checks).
- ``ApiClient``: ``requests`` with a timeout on every call.
- ``start_sre_playground()``: the service binary with a fresh DATA_DIR on a free port.
- ``mint_token()``: a signed token from the binary's ``token`` command (``SreServer.admin_client()``
  is an ApiClient that sends an admin one: the admin routes need it in every environment).
- ``RedisServer`` / ``start_redis()``: a real ``redis-server`` on a free loopback port, no
  persistence, which a test may kill and start again on the same port.
"""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = "127.0.0.1"
DEFAULT_HTTP_TIMEOUT = 10.0

# Every setting `sre-playground serve` reads (spec table). Inherited values are dropped so the
# developer's shell or the CI environment cannot leak into a test.
SRE_SETTINGS = (
    "HOST", "PORT", "DATA_DIR", "DATABASE_URL", "ENVIRONMENT", "APP_NAME", "LOG_LEVEL",
    "ACCESS_LOG_SAMPLE_RATE", "SHUTDOWN_DELAY_SECONDS", "SHUTDOWN_TIMEOUT_SECONDS",
    "WORKER_THREADS", "DB_THREADS", "MAX_BODY_BYTES", "MAX_HEADER_BYTES",
    "REQUEST_TIMEOUT_SECONDS", "IDLE_TIMEOUT_SECONDS", "MAX_CONNECTIONS_PER_CLIENT", "CORS_ORIGINS",
    "WEB_DIR",
    "DB_POOL_SIZE", "DB_STATEMENT_TIMEOUT_MS", "DB_CONNECT_TIMEOUT_MS", "AUTO_MIGRATE",
    # grade service client, circuit breaker, load shedding
    "GRADE_SERVICE_URL", "GRADE_TIMEOUT_MS", "GRADE_DEADLINE_MS", "GRADE_MAX_ATTEMPTS",
    "GRADE_BACKOFF_BASE_MS", "GRADE_BACKOFF_MAX_MS", "GRADE_RETRY_BUDGET_RATIO",
    "GRADE_RETRY_BUDGET_MAX_TOKENS", "GRADE_MAX_CONCURRENT_CALLS",
    "CIRCUIT_BREAKER_FAILURE_THRESHOLD", "CIRCUIT_BREAKER_FAILURE_RATE", "CIRCUIT_BREAKER_WINDOW",
    "CIRCUIT_BREAKER_MINIMUM_CALLS", "CIRCUIT_BREAKER_OPEN_SECONDS",
    "CIRCUIT_BREAKER_SLOW_CALL_MS", "CIRCUIT_BREAKER_HALF_OPEN_PROBES", "MAX_IN_FLIGHT",
    "MAX_QUEUE_DELAY_MS",
    "REDIS_URL", "REDIS_TIMEOUT_MS", "CACHE_TTL_SECONDS", "CACHE_MAX_ENTRIES",
    "RATE_LIMIT_ENABLED", "RATE_LIMITS", "TRUSTED_PROXIES", "RATE_LIMIT_IPV6_PREFIX",
    "AUTH_REQUIRED", "JWT_SECRET", "JWT_ALGORITHM", "JWT_PRIVATE_KEY_FILE", "JWT_PUBLIC_KEY_FILE",
    "JWT_KEY_ID", "JWT_ISSUER", "JWT_TTL_SECONDS", "JWT_LEEWAY_SECONDS", "USERS_FILE",
    "LOGIN_THREADS", "LOGIN_QUEUE",
    # secrets may also come from files
    "JWT_SECRET_FILE", "DATABASE_URL_FILE", "REDIS_URL_FILE",
    # AWS and the outbox relay
    "ENABLE_SQS", "ENABLE_DYNAMODB", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_ACCESS_KEY_ID",
    "AWS_ACCESS_KEY_ID_FILE", "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY_FILE",
    "AWS_SESSION_TOKEN", "AWS_SESSION_TOKEN_FILE", "AWS_TIMEOUT_MS", "AWS_AUTO_PROVISION",
    "SQS_QUEUE_NAME", "DYNAMODB_TABLE", "RELAY_SQS_BATCH", "RELAY_DYNAMODB_BATCH",
    "RELAY_LEASE_SECONDS", "RELAY_POLL_INTERVAL_MS", "OUTBOX_RETENTION_SECONDS",
    "RELAY_BACKOFF_BASE_MS", "RELAY_BACKOFF_MAX_MS", "RELAY_BREAKER_OPEN_SECONDS",
    "AUDIT_RETENTION_DAYS", "AWS_CA_BUNDLE",
)
# Settings only `sre-playground grade-service` reads (its start-up faults).
GRADE_SERVICE_SETTINGS = ("GRADE_ERROR_RATE", "GRADE_LATENCY_MS", "GRADE_LATENCY_JITTER_MS")
# Settings only `sre-playground worker` reads.
WORKER_SETTINGS = ("WORKER_PORT", "WORKER_BATCH_SIZE", "WORKER_VISIBILITY_TIMEOUT_SECONDS",
                   "WORKER_POLL_INTERVAL_MS", "WORKER_WAIT_SECONDS")


# --------------------------------------------------------------------------------------------
# Ports and polling


def free_port(host: str = LOOPBACK) -> int:
    """A port that is free at the time of the call (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def free_ports(count: int, host: str = LOOPBACK) -> list[int]:
    """`count` distinct free ports. Calling free_port() several times is not enough: each call
    releases its port before the next, and the kernel may hand the same one out twice (it did
    once, to two containers of one compose project)."""
    ports: list[int] = []
    while len(ports) < count:
        port = free_port(host)
        if port not in ports:
            ports.append(port)
    return ports


def port_is_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def poll(predicate: Callable[[], object], timeout: float, interval: float = 0.05,
         what: str = "condition"):
    """Calls predicate until it returns something truthy; returns that. Raises TimeoutError."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            result = predicate()
            if result:
                return result
        except Exception as error:  # noqa: BLE001 - remembered for the message
            last_error = error
        if time.monotonic() >= deadline:
            detail = f" (last error: {last_error!r})" if last_error else ""
            raise TimeoutError(f"timed out after {timeout:.1f}s waiting for {what}{detail}")
        time.sleep(interval)


# --------------------------------------------------------------------------------------------
# Processes


class ProcessStartError(AssertionError):
    pass


class ManagedProcess:
    """One child process whose stdout and stderr go to ``log_path``.

    ``stop()`` only ever signals the PID this object started (through Popen, which refuses to
    signal a reaped PID), so a test can never hit an unrelated process.
    """

    def __init__(self, argv: Sequence[str], log_path: Path, env: Mapping[str, str] | None = None,
                 cwd: Path | None = None, name: str | None = None):
        self.argv = [str(a) for a in argv]
        self.log_path = Path(log_path)
        self.env = dict(env) if env is not None else None
        self.cwd = cwd
        self.name = name or Path(self.argv[0]).name
        self.popen: subprocess.Popen | None = None
        self._log_file = None

    # lifecycle -------------------------------------------------------------------------------
    def start(self) -> "ManagedProcess":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = open(self.log_path, "ab", buffering=0)
        self.popen = subprocess.Popen(
            self.argv, stdin=subprocess.DEVNULL, stdout=self._log_file, stderr=self._log_file,
            env=self.env, cwd=self.cwd, start_new_session=True)
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None, "process not started"
        return self.popen.pid

    def poll(self) -> int | None:
        return None if self.popen is None else self.popen.poll()

    def is_running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def send_signal(self, sig: int) -> None:
        assert self.popen is not None, "process not started"
        if self.popen.poll() is None:
            self.popen.send_signal(sig)

    def wait(self, timeout: float) -> int:
        """Exit code; raises subprocess.TimeoutExpired if still running after timeout."""
        assert self.popen is not None, "process not started"
        return self.popen.wait(timeout=timeout)

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM, wait up to ``timeout``, then SIGKILL. Returns the exit code."""
        if self.popen is None:
            return None
        try:
            if self.popen.poll() is None:
                self.popen.send_signal(signal.SIGTERM)
                try:
                    self.popen.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self.popen.kill()
                    self.popen.wait(timeout=10)
            return self.popen.returncode
        finally:
            if self._log_file is not None:
                self._log_file.close()
                self._log_file = None

    # waiting ---------------------------------------------------------------------------------
    def _fail(self, message: str) -> ProcessStartError:
        return ProcessStartError(
            f"{self.name} (pid {self.popen.pid if self.popen else '?'}): {message}\n"
            f"--- last lines of {self.log_path} ---\n{self.log_tail()}")

    def wait_until(self, predicate: Callable[[], object], timeout: float, what: str):
        """Polls predicate; fails early (with the log tail) if the process exits."""
        deadline = time.monotonic() + timeout
        while True:
            code = self.poll()
            if code is not None:
                raise self._fail(f"exited with code {code} while waiting for {what}")
            try:
                result = predicate()
                if result:
                    return result
            except Exception:  # noqa: BLE001 - not up yet
                pass
            if time.monotonic() >= deadline:
                raise self._fail(f"not {what} within {timeout:.0f}s")
            time.sleep(0.05)

    def wait_for_port(self, host: str, port: int, timeout: float = 20.0) -> None:
        self.wait_until(lambda: port_is_open(host, port), timeout, f"listening on {host}:{port}")

    def wait_for_url(self, url: str, timeout: float = 20.0, status: int = 200) -> None:
        def ok() -> bool:
            return requests.get(url, timeout=1.0).status_code == status
        self.wait_until(ok, timeout, f"answering {status} on {url}")

    # logs ------------------------------------------------------------------------------------
    def log_bytes(self) -> bytes:
        try:
            return self.log_path.read_bytes()
        except FileNotFoundError:
            return b""

    def log_text(self) -> str:
        return self.log_bytes().decode("utf-8", errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


# --------------------------------------------------------------------------------------------
# HTTP over requests, always with a timeout


class ApiClient:
    """``requests.Session`` bound to a base URL; every call has a timeout. With ``token``,
    every call sends ``Authorization: Bearer <token>``."""

    def __init__(self, base_url: str, timeout: float = DEFAULT_HTTP_TIMEOUT,
                 token: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        return self.session.request(method, self.url(path), **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs) -> requests.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def close(self) -> None:
        self.session.close()


# --------------------------------------------------------------------------------------------
# Raw HTTP/1.1 over a socket


@dataclass
class RawResponse:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    raw_head: bytes = b""

    def header(self, name: str, default: str | None = None) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return default

    def json(self):
        return json.loads(self.body)


class RawConnection:
    """A plain TCP connection speaking just enough HTTP/1.1 for protocol tests."""

    def __init__(self, host: str, port: int, timeout: float = 5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.settimeout(timeout)
        self.buffer = b""
        self.eof = False

    def __enter__(self) -> "RawConnection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _fill(self, timeout: float | None = None) -> bool:
        """Reads more bytes into the buffer. False on EOF / reset."""
        if self.eof:
            return False
        if timeout is not None:
            self.sock.settimeout(timeout)
        try:
            chunk = self.sock.recv(65536)
        except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError):
            chunk = b""
        if not chunk:
            self.eof = True
            return False
        self.buffer += chunk
        return True

    def _read_until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            if not self._fill():
                raise ConnectionError(
                    f"connection closed before {marker!r}; got {self.buffer[:200]!r}")
        index = self.buffer.index(marker) + len(marker)
        data, self.buffer = self.buffer[:index], self.buffer[index:]
        return data

    def _read_exact(self, n: int) -> bytes:
        while len(self.buffer) < n:
            if not self._fill():
                raise ConnectionError(f"connection closed after {len(self.buffer)} of {n} bytes")
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def read_response(self, timeout: float = 5.0, head_request: bool = False) -> RawResponse:
        self.sock.settimeout(timeout)
        head = self._read_until(b"\r\n\r\n")
        lines = head[:-4].decode("latin-1").split("\r\n")
        version, _, rest = lines[0].partition(" ")
        code, _, reason = rest.partition(" ")
        if not version.startswith("HTTP/1."):
            raise ValueError(f"not an HTTP response: {lines[0]!r}")
        headers = []
        for line in lines[1:]:
            key, _, value = line.partition(":")
            headers.append((key.strip(), value.strip()))
        response = RawResponse(int(code), reason, headers, b"", head)
        status = response.status
        if head_request or status in (204, 304) or 100 <= status < 200:
            return response
        if "chunked" in (response.header("transfer-encoding") or "").lower():
            body = b""
            while True:
                size_line = self._read_until(b"\r\n")
                size = int(size_line.split(b";")[0].strip(), 16)
                if size == 0:
                    self._read_until(b"\r\n")  # no trailers expected
                    break
                body += self._read_exact(size)
                self._read_exact(2)
            response.body = body
        elif response.header("content-length") is not None:
            response.body = self._read_exact(int(response.header("content-length")))
        else:
            while self._fill():
                pass
            response.body, self.buffer = self.buffer, b""
        return response

    def wait_closed(self, timeout: float) -> bool:
        """True if the peer closes (EOF or reset) within timeout; extra bytes land in buffer."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                if not self._fill(timeout=remaining):
                    return True
            except socket.timeout:
                return False


def raw_request(method: str, path: str, headers: Iterable[tuple[str, str]] = (),
                body: bytes = b"", host: str = "localhost") -> bytes:
    """Serialises a request; adds Host and (when there is a body) Content-Length."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    names = set()
    for key, value in headers:
        lines.append(f"{key}: {value}")
        names.add(key.lower())
    if body and "content-length" not in names and "transfer-encoding" not in names:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


# --------------------------------------------------------------------------------------------
# The sre-playground service


def sre_binary() -> Path:
    return Path(os.environ.get("SRE_PLAYGROUND_BIN",
                               REPO_ROOT / "build" / "release" / "sre-playground"))


def clean_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in SRE_SETTINGS and k not in GRADE_SERVICE_SETTINGS
           and k not in WORKER_SETTINGS}
    env.update(extra or {})
    return env


@dataclass
class SreServer:
    process: ManagedProcess
    host: str
    port: int
    workdir: Path
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def client(self, timeout: float = DEFAULT_HTTP_TIMEOUT, token: str | None = None) -> ApiClient:
        return ApiClient(self.base_url, timeout, token)

    def token(self, role: str = "admin", sub: str = "e2e-admin", ttl: str = "1h") -> str:
        """A token this server accepts (signed with its settings by the ``token`` command)."""
        return mint_token(self.env, sub=sub, role=role, ttl=ttl)

    def admin_client(self, timeout: float = DEFAULT_HTTP_TIMEOUT) -> ApiClient:
        return self.client(timeout, token=self.token())

    def raw(self, timeout: float = 5.0) -> RawConnection:
        return RawConnection(self.host, self.port, timeout)

    def log_records(self) -> list[dict]:
        """Every line of output that parses as a JSON object."""
        records = []
        for line in self.process.log_text().splitlines():
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                records.append(value)
        return records

    def wait_for_log(self, predicate: Callable[[dict], bool], timeout: float = 5.0,
                     what: str = "log line") -> dict:
        def find():
            for record in self.log_records():
                if predicate(record):
                    return record
            return None
        try:
            return poll(find, timeout, what=what)
        except TimeoutError as error:
            raise AssertionError(f"{error}\n--- log tail ---\n{self.process.log_tail()}") from None

    def stop(self, timeout: float = 10.0) -> int | None:
        return self.process.stop(timeout)


def mint_token(env: Mapping[str, str] | None = None, sub: str = "e2e-admin",
               role: str = "admin", ttl: str = "1h", binary: Path | None = None) -> str:
    """``sre-playground token --sub SUB --role ROLE --ttl TTL`` with the settings ``env``."""
    result = subprocess.run([str(binary or sre_binary()), "token", "--sub", sub, "--role", role,
                             "--ttl", ttl], env=clean_environment(env), capture_output=True,
                            text=True, timeout=20, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def start_sre_playground(workdir: Path, env: Mapping[str, str] | None = None,
                         args: Sequence[str] = (), wait_ready: bool = True,
                         ready_timeout: float = 20.0, binary: Path | None = None,
                         port: int | None = None) -> SreServer:
    """Starts ``sre-playground serve`` in ``workdir`` (its cwd, so no stray .env is read).

    Defaults: HOST=127.0.0.1, a free PORT, DATA_DIR=<workdir>/data, SHUTDOWN_DELAY_SECONDS=0,
    WEB_DIR=<repo>/web, RATE_LIMIT_ENABLED=false. ``env`` overrides them. Output goes to
    <workdir>/server.log.

    Rate limiting is off by default here because most suites create many students from one
    client (the seed's limit is 10/min); the rate-limit tests turn it on explicitly.
    """
    binary = Path(binary or sre_binary())
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    data_dir = workdir / "data"
    data_dir.mkdir(exist_ok=True)
    settings = {
        "HOST": LOOPBACK,
        "PORT": str(port or free_port()),
        "DATA_DIR": str(data_dir),
        "SHUTDOWN_DELAY_SECONDS": "0",
        "WEB_DIR": str(REPO_ROOT / "web"),
        "RATE_LIMIT_ENABLED": "false",
    }
    settings.update(env or {})
    process = ManagedProcess([binary, "serve", *args], workdir / "server.log",
                             env=clean_environment(settings), cwd=workdir,
                             name="sre-playground")
    process.start()
    host = settings["HOST"]
    listen_port = int(settings["PORT"])
    # A --port flag overrides the environment.
    for i, arg in enumerate(args):
        if arg == "--port" and i + 1 < len(args):
            listen_port = int(args[i + 1])
        elif arg.startswith("--port="):
            listen_port = int(arg.split("=", 1)[1])
    server = SreServer(process, host, listen_port, workdir, data_dir, settings)
    if wait_ready:
        try:
            process.wait_for_url(server.url("/health/ready"), timeout=ready_timeout)
        except BaseException:
            process.stop(timeout=5)
            raise
    return server


# --------------------------------------------------------------------------------------------
# The grade service (`sre-playground grade-service`): the API's external dependency


@dataclass
class GradeService:
    process: ManagedProcess
    host: str
    port: int

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def set_faults(self, **faults) -> dict:
        """PUT /admin/faults with the given fields (error_rate, latency_ms, outage, ...)."""
        response = requests.put(self.url("/admin/faults"), json=faults, timeout=5)
        assert response.status_code == 200, response.text
        return response.json()

    def requests_served(self) -> float:
        """Sum of grade_service_requests_total over every outcome."""
        text = requests.get(self.url("/metrics"), timeout=5).text
        series = metric_series(text, "grade_service_requests_total")
        if not series:
            raise MissingSeries("no grade_service_requests_total series")
        return sum(value for _, value in series)

    def stop(self, timeout: float = 10.0) -> int | None:
        return self.process.stop(timeout)


def start_grade_service(workdir: Path, env: Mapping[str, str] | None = None,
                        binary: Path | None = None, port: int | None = None) -> GradeService:
    """Starts ``sre-playground grade-service`` on a free port, with no faults unless ``env``
    sets GRADE_ERROR_RATE / GRADE_LATENCY_MS. Output goes to <workdir>/grade-service.log."""
    binary = Path(binary or sre_binary())
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    settings = {"HOST": LOOPBACK, "PORT": str(port or free_port()), "GRADE_ERROR_RATE": "0",
                "WORKER_THREADS": "1"}
    settings.update(env or {})
    process = ManagedProcess([binary, "grade-service"], workdir / "grade-service.log",
                             env=clean_environment(settings), cwd=workdir, name="grade-service")
    process.start()
    service = GradeService(process, settings["HOST"], int(settings["PORT"]))
    try:
        process.wait_for_url(service.url("/health/live"), timeout=20)
    except BaseException:
        process.stop(timeout=5)
        raise
    return service

# --------------------------------------------------------------------------------------------
# The worker (`sre-playground worker`): consumes student events, serves health and metrics


@dataclass
class Worker:
    process: ManagedProcess
    host: str
    port: int

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def metrics(self) -> str:
        return requests.get(self.url("/metrics"), timeout=5).text

    def events(self, outcome: str, event_type: str | None = None) -> float:
        """worker_events_processed_total with this outcome (summed over event types unless
        one is named)."""
        text = self.metrics()
        types = ([event_type] if event_type else
                 ["student_created", "student_updated", "student_deleted", "unknown"])
        return sum(metric_value(text, "worker_events_processed_total",
                                {"event_type": t, "outcome": outcome}) for t in types)

    def kill(self) -> None:
        """SIGKILL: the worker vanishes mid-work, nothing settled."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process.stop()

    def stop(self, timeout: float = 10.0) -> int | None:
        return self.process.stop(timeout)


def start_worker(workdir: Path, env: Mapping[str, str] | None = None,
                 binary: Path | None = None, wait_ready: bool = True,
                 name: str = "worker") -> Worker:
    """Starts ``sre-playground worker`` on a free WORKER_PORT. ``env`` names its database
    (DATA_DIR or DATABASE_URL: the API's, to consume its events). Output goes to
    <workdir>/<name>.log (appended to, so a restarted worker keeps one log)."""
    binary = Path(binary or sre_binary())
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    settings = {"HOST": LOOPBACK, "WORKER_PORT": str(free_port())}
    settings.update(env or {})
    process = ManagedProcess([binary, "worker"], workdir / f"{name}.log",
                             env=clean_environment(settings), cwd=workdir, name=name)
    process.start()
    worker = Worker(process, settings["HOST"], int(settings["WORKER_PORT"]))
    if wait_ready:
        try:
            process.wait_for_url(worker.url("/health/ready"), timeout=20)
        except BaseException:
            process.stop(timeout=5)
            raise
    return worker


# --------------------------------------------------------------------------------------------
# redis-server


REDIS_SERVER = "/usr/bin/redis-server"
REDIS_CLI = "/usr/bin/redis-cli"


class RedisServer:
    """A real redis-server on loopback, without persistence. ``stop()`` then ``start()``
    brings it back on the same port (an outage and a recovery, as clients see them)."""

    def __init__(self, workdir: Path, port: int | None = None, password: str | None = None):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.password = password
        self.process: ManagedProcess | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}{LOOPBACK}:{self.port}/0"

    def start(self) -> "RedisServer":
        argv = [REDIS_SERVER, "--port", str(self.port), "--bind", LOOPBACK, "--save", "",
                "--appendonly", "no", "--dir", str(self.workdir), "--protected-mode", "no",
                "--enable-debug-command", "local"]  # DEBUG SLEEP stalls Redis on purpose
        if self.password:
            argv += ["--requirepass", self.password]
        self.starts += 1
        self.process = ManagedProcess(argv, self.workdir / f"redis.{self.starts}.log",
                                      name="redis-server").start()
        self.process.wait_for_port(LOOPBACK, self.port, timeout=10)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop(timeout=5)
            self.process = None

    def kill(self) -> None:
        """SIGKILL: Redis vanishes without closing anything gracefully."""
        if self.process is not None and self.process.is_running():
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=5)
        self.stop()

    def cli(self, *args: str) -> str:
        argv = [REDIS_CLI, "-h", LOOPBACK, "-p", str(self.port), "--no-auth-warning"]
        if self.password:
            argv += ["-a", self.password]
        result = subprocess.run([*argv, *args], capture_output=True, text=True, timeout=10,
                                check=True)
        return result.stdout.strip()


def start_redis(workdir: Path, password: str | None = None) -> RedisServer:
    return RedisServer(workdir, password=password).start()


class MissingSeries(AssertionError):
    """A series a test reads is not exported at all: renamed, dropped or mislabelled. It is a
    failure, never a 0, or every `== 0` check would pass on a metric that no longer exists."""


def metric_series(metrics_text: str, name: str) -> list[tuple[dict[str, str], float]]:
    """Every sample of metric `name` in Prometheus text: (labels, value)."""
    samples = []
    for line in metrics_text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        series, _, value = line.rpartition(" ")
        metric, _, label_text = series.partition("{")
        if metric != name:
            continue
        labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', label_text))
        samples.append((labels, float(value)))
    return samples


def metric_value(metrics_text: str, name: str, labels: Mapping[str, str] | None = None) -> float:
    """The value of the one series with exactly these labels; MissingSeries when absent."""
    wanted = {k: str(v) for k, v in (labels or {}).items()}
    samples = metric_series(metrics_text, name)
    for found, value in samples:
        if found == wanted:
            return value
    raise MissingSeries(f"no series {name}{wanted or ''} in /metrics; series of that name: "
                        f"{[found for found, _ in samples][:10]}")


# --------------------------------------------------------------------------------------------
# moto_server (the AWS emulator: SQS, DynamoDB) and a TCP proxy that can cut a link


MOTO_REGION = "us-east-1"


class MotoServer:
    """A real ``moto_server`` on a free loopback port. Its state lives in memory: restarting it
    loses every queue and table, so an outage is simulated with a TcpProxy in front of it."""

    def __init__(self, workdir: Path, port: int | None = None):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.process = ManagedProcess(["moto_server", "-H", LOOPBACK, "-p", str(self.port)],
                                      self.workdir / "moto.log", name="moto_server")

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> "MotoServer":
        self.process.start()
        self.process.wait_for_port(LOOPBACK, self.port, timeout=30)
        return self

    def stop(self) -> None:
        self.process.stop(timeout=5)

    def boto3(self, service: str):
        """A boto3 client of ``service`` ("sqs", "dynamodb") talking to this moto directly."""
        import boto3  # imported here: only the AWS suites need it
        return boto3.client(service, endpoint_url=self.url, region_name=MOTO_REGION,
                            aws_access_key_id="test", aws_secret_access_key="test")


def start_moto(workdir: Path) -> MotoServer:
    return MotoServer(workdir).start()


def aws_env(endpoint_url: str, sqs: bool = True, dynamodb: bool = True) -> dict[str, str]:
    """The settings that point `serve` (or `worker`) at an emulator, provisioning on."""
    return {"AWS_ENDPOINT_URL": endpoint_url, "AWS_REGION": MOTO_REGION,
            "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
            "ENABLE_SQS": "true" if sqs else "false",
            "ENABLE_DYNAMODB": "true" if dynamodb else "false", "AWS_AUTO_PROVISION": "true"}


class TcpProxy:
    """Forwards a free loopback port to ``target_port``, byte for byte, in a thread.

    ``cut()`` is a network partition: open connections are reset and new ones refused (the
    listening socket closes), while the target keeps running with its state. ``restore()``
    listens again on the same port.

    ``hold()`` stalls the target as its clients see it, for as long as a test needs rather
    than for a time: what clients send is kept (``held()`` shows it) until ``release()``
    passes it on, in order and in one piece, so the target answers it all at once."""

    def __init__(self, target_port: int, port: int | None = None):
        import threading
        self.target_port = target_port
        self.port = port or free_port()
        self._threading = threading
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []
        self._accepting: threading.Thread | None = None
        self._holding = False
        self._held: dict[socket.socket, bytearray] = {}  # by upstream socket

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> "TcpProxy":
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((LOOPBACK, self.port))
        listener.listen(128)
        self._listener = listener
        self._accepting = self._threading.Thread(target=self._accept, args=(listener,),
                                                 daemon=True)
        self._accepting.start()
        return self

    restore = start

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            connections, self._connections = self._connections, []
        if listener is not None:
            try:  # wakes the accepting thread; a close alone leaves it blocked in accept()
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()
        for connection in connections:
            try:  # RST rather than FIN: the peer sees the link die, not a clean close
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                      b"\x01\x00\x00\x00\x00\x00\x00\x00")
                connection.close()
            except OSError:
                pass
        if self._accepting is not None:
            self._accepting.join(timeout=5)

    stop = cut

    def hold(self) -> None:
        with self._lock:
            self._holding = True

    def held(self) -> bytes:
        with self._lock:
            return b"".join(self._held.values())

    def release(self) -> None:
        with self._lock:  # a pipe thread waits: nothing new overtakes what was held
            self._holding = False
            held, self._held = self._held, {}
            for upstream, data in held.items():
                try:
                    upstream.sendall(data)
                except OSError:
                    pass

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection((LOOPBACK, self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    upstream.close()
                    return
                self._connections += [client, upstream]
            for source, sink, holdable in ((client, upstream, True),
                                           (upstream, client, False)):
                self._threading.Thread(target=self._pipe, args=(source, sink, holdable),
                                       daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, holdable: bool) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if holdable:
                    with self._lock:
                        if self._holding:
                            self._held.setdefault(sink, bytearray()).extend(data)
                            continue
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def start_proxy(target_port: int) -> TcpProxy:
    return TcpProxy(target_port).start()
