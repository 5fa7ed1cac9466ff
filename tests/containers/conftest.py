"""Container tests (`make test-containers`): the images built with podman from the Dockerfile and
deploy/podman, run for real. Everything they create carries the label sre-playground.test=<id>
(or is a compose project of that name) and is removed at the end."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))

import harness  # noqa: E402

REPO = harness.REPO_ROOT
CONTAINERS = str(REPO / "scripts" / "containers")
APP_IMAGE = "localhost/sre-playground:latest"
# Settings every podman call shares (scripts/containers exports the same).
PODMAN_ENV = {**os.environ, "CONTAINERS_CONF": str(REPO / "deploy/podman/containers.conf")}


def podman(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(["podman", *args], env=PODMAN_ENV, capture_output=True, text=True,
                          check=check, timeout=timeout)


@pytest.fixture(scope="session")
def test_id() -> str:
    return f"sre-playground-test-{os.getpid()}"


@pytest.fixture(scope="session")
def images():
    """Builds the base, app and services images (their layers are reused). The app image's
    binary is the one under test (SRE_PLAYGROUND_BIN's build tree, `make build`): the build
    stage's own compile is cold on a new machine, longer than this test may take (README)."""
    started = time.monotonic()
    build_dir = str(harness.sre_binary().parent)
    build = subprocess.run([CONTAINERS, "build", "--prebuilt", build_dir], capture_output=True,
                           text=True)
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    print(f"\nimages built in {time.monotonic() - started:.0f} s")
    return APP_IMAGE
