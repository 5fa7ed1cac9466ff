"""Fixtures: the real sre-playground binary on free loopback ports.

- ``server``: one process for the whole session, used by the read/write tests.
- ``api``: an ApiClient (requests, timeouts on every call) for ``server``.
- ``start_server``: factory for a dedicated process with custom env/flags (shutdown, config,
  timeout tests); every process it starts is stopped at the end of the test.

Run: /usr/bin/python3 -m pytest tests/e2e   (SRE_PLAYGROUND_BIN overrides the binary path)
"""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

import harness


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes a few seconds (still runs by default)")


@pytest.fixture(scope="session")
def sre_binary() -> Path:
    binary = harness.sre_binary()
    if not binary.is_file():
        pytest.fail(f"sre-playground binary not found at {binary}; build it with `make build` "
                    "or point SRE_PLAYGROUND_BIN at it", pytrace=False)
    return binary


@pytest.fixture(scope="session")
def server(sre_binary, tmp_path_factory):
    srv = harness.start_sre_playground(tmp_path_factory.mktemp("server"), binary=sre_binary)
    yield srv
    code = srv.stop()
    # A clean SIGTERM shutdown exits 0; anything else (crash, abort) is worth seeing.
    assert code == 0, f"session server exited with {code}\n{srv.process.log_tail()}"


@pytest.fixture(scope="session")
def api(server):
    client = server.client()
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
