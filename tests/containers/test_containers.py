"""The app image alone (embedded SQLite on a volume), then the compose stack: docker-compose.yml
with compose.podman.yml, brought up by podman-compose."""
from __future__ import annotations

import json
import subprocess
import time

import pytest
import requests

import harness
from conftest import APP_IMAGE, CONTAINERS, PODMAN_ENV, REPO, podman

MIB = 1024 * 1024


def inspect(image_or_container: str) -> dict:
    return json.loads(podman("inspect", image_or_container).stdout)[0]


def test_image_is_slim_non_root_with_a_healthcheck(images):
    image = inspect(images)
    size = int(podman("image", "inspect", "--format", "{{.Size}}", images).stdout)
    print(f"\nimage size: {size / MIB:.1f} MiB")
    assert size < 60 * MIB
    config = image["Config"]
    assert config["User"] == "10001:10001"
    assert config["Entrypoint"][:2] == ["/usr/bin/tini", "--"]
    assert config["Cmd"] == ["serve"]
    assert "http://127.0.0.1:8000/health/live" in image["Healthcheck"]["Test"]


def test_image_trusts_the_public_certificate_authorities_for_tls_to_aws(images):
    # The AWS client verifies the endpoint's certificate (https:// endpoints, real AWS); an
    # image without the bundle fails every call with "unable to get local issuer certificate".
    bundle = "/etc/ssl/certs/ca-certificates.crt"
    assert f"SSL_CERT_FILE={bundle}" in inspect(images)["Config"]["Env"]
    certificates = podman("run", "--rm", "--entrypoint", "/bin/busybox", images,
                          "grep", "-c", "BEGIN CERTIFICATE", bundle).stdout
    assert int(certificates) > 100


def run_api(test_id: str, volume: str, port: int, *env: str) -> str:
    settings = [arg for pair in (("-e", e) for e in env) for arg in pair]
    return podman("run", "-d", "--label", f"sre-playground.test={test_id}",
                  "-p", f"127.0.0.1:{port}:8000", "-v", f"{volume}:/var/lib/sre-playground/data",
                  *settings, APP_IMAGE).stdout.strip()


@pytest.fixture
def volume(test_id):
    name = f"{test_id}-data"
    podman("volume", "create", "--label", f"sre-playground.test={test_id}", name)
    yield name
    for container in podman("ps", "-aq", "--filter", f"label=sre-playground.test={test_id}"
                            ).stdout.split():
        podman("rm", "-f", container)
    podman("volume", "rm", "-f", name)


def wait_healthy(base: str, container: str) -> None:
    def healthy():
        running = inspect(container)["State"]["Running"]
        assert running, podman("logs", container).stdout[-3000:]
        return requests.get(base + "/health", timeout=2).status_code == 200
    harness.poll(healthy, timeout=30, what="the API container's /health")


def test_api_container_alone_serves_persists_and_drains_on_sigterm(images, test_id, volume):
    port = harness.free_port()
    base = f"http://127.0.0.1:{port}"
    container = run_api(test_id, volume, port, "SHUTDOWN_DELAY_SECONDS=1",
                        "SHUTDOWN_TIMEOUT_SECONDS=10")
    wait_healthy(base, container)
    # The image's own HEALTHCHECK (busybox wget inside the container).
    assert podman("healthcheck", "run", container, check=False).returncode == 0
    # The docs page: its assets are installed beside the binary.
    assert requests.get(base + "/docs", timeout=5).status_code == 200
    created = requests.post(base + "/api/v1/students", timeout=5,
                            json={"first_name": "Ada", "last_name": "Lovelace", "grade": 7})
    assert created.status_code == 201, created.text
    student = created.json()["student_id"]

    # podman stop sends SIGTERM (through tini): the API drains and exits 0, well before
    # podman's own 30 s would turn it into SIGKILL.
    started = time.monotonic()
    podman("stop", "-t", "30", container, timeout=60)
    took = time.monotonic() - started
    print(f"\nSIGTERM to exit: {took:.1f} s")
    state = inspect(container)["State"]
    assert state["ExitCode"] == 0, podman("logs", container).stdout[-3000:]
    assert took < 1 + 10, "within SHUTDOWN_DELAY_SECONDS + SHUTDOWN_TIMEOUT_SECONDS"
    assert "shutdown" in podman("logs", container).stdout + podman("logs", container).stderr

    # A new container on the same volume has the student (SQLite in the volume).
    again = run_api(test_id, volume, port)
    wait_healthy(base, again)
    assert requests.get(f"{base}/api/v1/students/{student}", timeout=5).status_code == 200


# Grafana is not packaged in Debian: every other service of docker-compose.yml.
SERVICES = ["postgres", "redis", "localstack", "grade-service", "app", "worker", "prometheus",
            "alertmanager"]
PUBLISHED = ["APP", "WORKER", "GRADE_SERVICE", "POSTGRES", "REDIS", "LOCALSTACK", "PROMETHEUS",
             "ALERTMANAGER", "GRAFANA"]


@pytest.fixture
def stack(images, test_id, tmp_path):
    """The compose project `test_id`, up; torn down at the end, leaving no container behind."""
    chosen = harness.free_ports(len(PUBLISHED) + 1)
    ports = {f"HOST_PORT_{name}": str(port) for name, port in zip(PUBLISHED, chosen)}
    moto_port = chosen[-1]
    env = {**PODMAN_ENV, **ports, "MOTO_PORT": str(moto_port)}
    network = f"{test_id}_default"

    def compose(*args: str, timeout: float = 300):
        done = subprocess.run([CONTAINERS, "compose", "-p", test_id, *args], env=env,
                                      capture_output=True, text=True, timeout=timeout)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        return done

    moto = None
    try:
        # PostgreSQL first: its start makes the network, whose gateway moto then listens on
        # (the host's address on that network: no other host reaches it).
        compose("up", "-d", "postgres")
        [gateway] = json.loads(podman("network", "inspect", network).stdout)[0]["subnets"]
        env["MOTO_HOST"] = gateway["gateway"]
        moto = harness.ManagedProcess(["moto_server", "-H", env["MOTO_HOST"], "-p",
                                       str(moto_port)], tmp_path / "moto.log",
                                      name="moto_server").start()
        moto.wait_for_port(env["MOTO_HOST"], moto_port, timeout=30)
        compose("up", "-d", *SERVICES)
        yield {name: int(port) for name, port in ports.items()}, compose
    finally:
        try:
            compose("down", "-v", "-t", "30")
        finally:
            if moto:
                moto.stop()
            # podman-compose 1.0.3's down leaves the network.
            podman("network", "rm", "-f", network, check=False)
            left = podman("ps", "-aq", "--filter", f"label=io.podman.compose.project={test_id}"
                          ).stdout.split()
            for container in left:
                podman("rm", "-f", container)
            assert not left, f"compose down left {left}"


def container(test_id: str, service: str) -> str:
    return f"{test_id}_{service}_1"


def test_compose_stack_stores_in_postgres_and_is_scraped_by_prometheus(stack, test_id):
    ports, _ = stack
    api = f"http://127.0.0.1:{ports['HOST_PORT_APP']}"
    harness.poll(lambda: requests.get(api + "/health/ready", timeout=2).status_code == 200,
                 timeout=90, what="the app container ready (PostgreSQL, Redis)")
    created = requests.post(api + "/api/v1/students", timeout=10,
                            json={"first_name": "Grace", "last_name": "Hopper", "grade": 7})
    assert created.status_code == 201, created.text
    student = created.json()["student_id"]

    # The row, read inside the PostgreSQL container.
    row = podman("exec", container(test_id, "postgres"), "psql", "-h", "/tmp", "-U", "sre",
                 "-d", "sre_playground", "-tAc",
                 f"SELECT first_name FROM students WHERE student_id = '{student}'").stdout
    assert row.strip() == "Grace"

    # The API's request counter, as the Prometheus container scraped it from the app container.
    prometheus = f"http://127.0.0.1:{ports['HOST_PORT_PROMETHEUS']}"

    def scraped():
        answer = requests.get(prometheus + "/api/v1/query", timeout=5, params={
            "query": 'sum(http_requests_total{job="sre-playground",method="POST"})'}).json()
        return answer["data"]["result"] and float(answer["data"]["result"][0]["value"][1]) >= 1
    harness.poll(scraped, timeout=60, interval=1, what="Prometheus has the API's POST")

    # The event went through SQS (moto, behind `localstack`) to the worker container.
    worker = harness.Worker(None, "127.0.0.1", ports["HOST_PORT_WORKER"])
    harness.poll(lambda: worker.events("processed") >= 1, timeout=60, interval=1,
                 what="the worker processed the student's event")
