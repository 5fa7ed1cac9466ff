"""Fixtures: the real sre-playground binary on free loopback ports.

- ``server``: one process for the whole session, used by the read/write tests.
- ``api``: an ApiClient (requests, timeouts on every call) for ``server``; ``admin_api`` the
  same with an admin token.
- ``start_server``: factory for a dedicated process with custom env/flags (shutdown, config,
  timeout tests); every process it starts is stopped at the end of the test.

- ``postgres``: one real PostgreSQL server for the session (tests/e2e/postgres.py), started
  only when a test asks for it.

Run: /usr/bin/python3 -m pytest tests/e2e   (SRE_PLAYGROUND_BIN overrides the binary path)
``SRE_E2E_STORE=postgres`` (or ``--store=postgres``) runs the ``server`` fixture, and so every
test that uses it, against PostgreSQL instead of the embedded SQLite file.
"""
from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

import harness
import postgres as pg


def pytest_addoption(parser):
    parser.addoption("--store", choices=("sqlite", "postgres"),
                     default=os.environ.get("SRE_E2E_STORE", "sqlite"),
                     help="store behind the session `server` fixture (env SRE_E2E_STORE)")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes a few seconds (still runs by default)")


def pytest_report_header(config):
    return f"store behind the session server: {config.getoption('--store')}"


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the whole session (started on first use)."""
    server = pg.PostgresServer.start()
    yield server
    server.stop()


_database_names = itertools.count()


@pytest.fixture
def new_database(postgres):
    """new_database() -> DATABASE_URL of a fresh, empty PostgreSQL database."""
    def create(scheme: str = "postgresql") -> str:
        name = f"test_{os.getpid()}_{next(_database_names)}"
        postgres.create_database(name)
        return postgres.url(name, scheme)
    return create


@pytest.fixture(scope="session")
def sre_binary() -> Path:
    binary = harness.sre_binary()
    if not binary.is_file():
        pytest.fail(f"sre-playground binary not found at {binary}; build it with `make build` "
                    "or point SRE_PLAYGROUND_BIN at it", pytrace=False)
    return binary


@pytest.fixture(scope="session")
def server(sre_binary, tmp_path_factory, request):
    env = {}
    if request.config.getoption("--store") == "postgres":
        database = request.getfixturevalue("postgres")
        database.create_database("api_session")
        env["DATABASE_URL"] = database.url("api_session")
    srv = harness.start_sre_playground(tmp_path_factory.mktemp("server"), env=env,
                                       binary=sre_binary)
    yield srv
    code = srv.stop()
    # A clean SIGTERM shutdown exits 0; anything else (crash, abort) is worth seeing.
    assert code == 0, f"session server exited with {code}\n{srv.process.log_tail()}"


@pytest.fixture(scope="session")
def api(server):
    client = server.client()
    yield client
    client.close()


@pytest.fixture(scope="session")
def admin_api(server):
    """An ApiClient for ``server`` that sends an admin token (the admin routes need one)."""
    client = server.admin_client()
    yield client
    client.close()


@pytest.fixture
def start_server(sre_binary, tmp_path):
    """start_server(env={...}, args=[...], wait_ready=True) -> harness.SreServer"""
    started: list[harness.SreServer] = []
    counter = itertools.count()

    def start(env=None, args=(), wait_ready=True, **kwargs):
        workdir = tmp_path / f"server{next(counter)}"
        srv = harness.start_sre_playground(workdir, env=env, args=args, wait_ready=wait_ready,
                                           binary=sre_binary, **kwargs)
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    """redis_server() -> harness.RedisServer on a free port; stopped at the end of the test."""
    started: list[harness.RedisServer] = []
    counter = itertools.count()

    def start(password=None):
        redis = harness.start_redis(tmp_path / f"redis{next(counter)}", password=password)
        started.append(redis)
        return redis

    yield start
    for redis in started:
        redis.stop()


@pytest.fixture
def new_student(api):
    """Creates a student with the given fields (defaults valid) and returns the JSON body."""
    def create(first_name="Ada", last_name="Lovelace", grade=7):
        response = api.post("/api/v1/students",
                            json={"first_name": first_name, "last_name": last_name,
                                  "grade": grade})
        assert response.status_code == 201, response.text
        return response.json()
    return create
