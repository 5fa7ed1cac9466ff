"""A real PostgreSQL server for the end-to-end tests, one per test session.

``initdb`` refuses to run as root, so when the tests run as root the server runs as an
unprivileged user (``postgres`` if it exists, else ``nobody``), in a temporary directory it
owns, on a free loopback port. Torn down (and the directory removed) at the end.

    pg = PostgresServer.start()
    url = pg.create_database("students_a")   # postgresql://sre:...@127.0.0.1:PORT/students_a
    pg.kill()          # SIGKILL the postmaster: what a crash looks like to clients
    pg.restart()
    pg.query("students_a", "SELECT student_id FROM students")
    pg.stop()
"""
from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import harness

USER = "sre"
PASSWORD = "sre-test-password"


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for version in ("17", "16", "15"):
        candidate = Path(f"/usr/lib/postgresql/{version}/bin/{name}")
        if candidate.is_file():
            return str(candidate)
    raise FileNotFoundError(f"{name} not found: install postgresql (scripts/bootstrap)")


def _run_as() -> pwd.struct_passwd | None:
    """The account to run PostgreSQL as: None when we are not root (run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root and neither 'postgres' nor 'nobody' exists")


class PostgresServer:
    def __init__(self, root: Path, port: int, account: pwd.struct_passwd | None):
        self.root = root
        self.data = root / "data"
        self.socket_dir = root / "socket"
        self.log_path = root / "postgres.log"
        self.port = port
        self.account = account
        self.popen: subprocess.Popen | None = None
        self._log = None

    # setup ------------------------------------------------------------------------------------
    @classmethod
    def start(cls, synchronous_commit: str = "on") -> "PostgresServer":
        account = _run_as()
        root = Path(tempfile.mkdtemp(prefix="sre-pg-"))
        os.chmod(root, 0o755)
        server = cls(root, harness.free_port(), account)
        server.socket_dir.mkdir()
        if account is not None:
            os.chown(root, account.pw_uid, account.pw_gid)
            os.chown(server.socket_dir, account.pw_uid, account.pw_gid)
        pwfile = root / "pwfile"
        pwfile.write_text(PASSWORD + "\n")
        if account is not None:
            os.chown(pwfile, account.pw_uid, account.pw_gid)
        server._run([_pg_bin("initdb"), "-D", str(server.data), "-U", USER, "--pwfile", str(pwfile),
                     "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8",
                     "--locale=C", "--no-sync"])
        pwfile.unlink()
        with open(server.data / "postgresql.conf", "a") as conf:
            conf.write(f"\nsynchronous_commit = {synchronous_commit}\n"
                       "max_connections = 200\n"
                       "shared_buffers = 64MB\n")
        server.launch()
        return server

    def _preexec(self):
        account = self.account
        if account is None:
            return None

        def drop_privileges():
            os.setgid(account.pw_gid)
            os.setgroups([])
            os.setuid(account.pw_uid)
        return drop_privileges

    def _run(self, argv: list[str]) -> None:
        result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                preexec_fn=self._preexec(), cwd=self.root, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed ({result.returncode}):\n"
                               f"{result.stdout.decode(errors='replace')}")

    def launch(self, timeout: float = 30.0) -> None:
        """Starts the postmaster and waits until it accepts connections."""
        self._log = open(self.log_path, "ab", buffering=0)
        deadline = time.monotonic() + timeout
        while True:
            self.popen = subprocess.Popen(
                [_pg_bin("postgres"), "-D", str(self.data), "-p", str(self.port),
                 "-c", f"listen_addresses={harness.LOOPBACK}",
                 "-c", f"unix_socket_directories={self.socket_dir}"],
                stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
                preexec_fn=self._preexec(), cwd=self.root, start_new_session=True)
            while time.monotonic() < deadline and self.popen.poll() is None:
                if self.is_ready():
                    return
                time.sleep(0.05)
            if self.popen.poll() is None:
                break
            # After a SIGKILL, orphaned backends may still hold the shared memory for a moment:
            # the new postmaster refuses to start until they are gone. Try again.
            if time.monotonic() >= deadline:
                break
            time.sleep(0.2)
        raise RuntimeError(f"PostgreSQL did not start within {timeout}s:\n{self.log_tail()}")

    def is_ready(self) -> bool:
        result = subprocess.run([_pg_bin("pg_isready"), "-q", "-h", harness.LOOPBACK,
                                 "-p", str(self.port), "-U", USER], check=False)
        return result.returncode == 0

    # faults -----------------------------------------------------------------------------------
    def kill(self) -> None:
        """SIGKILL the postmaster, as a crash or an OOM kill would; its backends follow."""
        assert self.popen is not None
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=10)

    def restart(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.stop_server()
        self.launch()

    def stop_server(self) -> None:
        """Fast shutdown (SIGINT): what `pg_ctl stop -m fast` does."""
        if self.popen is not None and self.popen.poll() is None:
            self.popen.send_signal(signal.SIGINT)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def stop(self) -> None:
        self.stop_server()
        shutil.rmtree(self.root, ignore_errors=True)

    # SQL --------------------------------------------------------------------------------------
    def url(self, database: str, scheme: str = "postgresql") -> str:
        return f"{scheme}://{USER}:{PASSWORD}@{harness.LOOPBACK}:{self.port}/{database}"

    def psql(self, database: str, sql: str) -> str:
        """Runs SQL over the local socket; returns unaligned, tuples-only output."""
        result = subprocess.run(
            [_pg_bin("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
             "-h", str(self.socket_dir), "-p", str(self.port), "-U", USER, "-d", database,
             "-c", sql],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False, timeout=60)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr.decode(errors='replace')}")
        return result.stdout.decode()

    def query(self, database: str, sql: str) -> list[list[str]]:
        return [line.split("|") for line in self.psql(database, sql).splitlines() if line]

    def create_database(self, name: str) -> str:
        self.psql("postgres", f'CREATE DATABASE "{name}"')
        return self.url(name)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""
