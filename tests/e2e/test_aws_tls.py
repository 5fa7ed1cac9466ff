"""The AWS client over https://, against the real moto_server behind a TLS terminator (nginx on
loopback, tests/e2e/tls_terminator.py) whose certificates a throwaway CA signed:

- with AWS_CA_BUNDLE naming that CA, the relay provisions the queue and the table and ships
  events and audit records over TLS;
- without it the certificate is not trusted: the handshake fails, and the service degrades as
  for an unreachable queue (writes still 201, the rows wait in the outbox), while
  aws_requests_total{outcome="tls_error"} counts the failures and the log says why;
- a certificate of the trusted CA for another host name is refused the same way.
"""
from __future__ import annotations

import json
import sqlite3

import pytest

import harness
from tls_terminator import CertificateAuthority, TlsServer, TlsTerminator

QUEUE = "student-events"
TABLE = "sre-playground-audit"
HOST = "localhost"  # the name the client reaches the terminator by, and its certificate's


@pytest.fixture(scope="module")
def tls_moto(tmp_path_factory):
    """moto_server behind nginx: port `good` has a certificate for localhost, port `wrong` one
    for wrong.example, both signed by the CA in `ca.bundle`."""
    workdir = tmp_path_factory.mktemp("aws-tls")
    ca = CertificateAuthority(workdir / "ca")
    good = TlsServer(harness.free_port(), *ca.issue(HOST))
    wrong = TlsServer(harness.free_port(), *ca.issue("wrong.example"))
    moto = harness.start_moto(workdir / "moto")
    terminator = TlsTerminator(workdir / "nginx", moto.port, [good, wrong]).start()
    try:
        yield {"ca": ca, "moto": moto, "good": good.port, "wrong": wrong.port}
    finally:
        terminator.stop()
        moto.stop()


def start_api(workdir, port: int, ca_bundle: str | None) -> harness.SreServer:
    env = harness.aws_env(f"https://{HOST}:{port}")
    env.update({"RELAY_BREAKER_OPEN_SECONDS": "1", "RELAY_BACKOFF_MAX_MS": "500"})
    if ca_bundle:
        env["AWS_CA_BUNDLE"] = ca_bundle
    return harness.start_sre_playground(workdir, env=env)


def tls_errors(api: harness.ApiClient) -> float:
    samples = harness.metric_series(api.get("/metrics").text, "aws_requests_total")
    assert any(labels["outcome"] == "tls_error" for labels, _ in samples), "no tls_error series"
    return sum(value for labels, value in samples if labels["outcome"] == "tls_error")


def pending(data_dir, table: str) -> int:
    with sqlite3.connect(data_dir / "sre-playground.db") as db:
        return db.execute(f"SELECT count(*) FROM {table} WHERE delivered_at IS NULL").fetchone()[0]


def create_students(api: harness.ApiClient, count: int) -> list[str]:
    ids = []
    for i in range(count):
        created = api.post("/api/v1/students",
                           json={"first_name": f"Tls{i}", "last_name": "Test", "grade": 4})
        assert created.status_code == 201, created.text
        ids.append(created.json()["student_id"])
    return ids


def refused_handshake(server: harness.SreServer) -> dict:
    return server.wait_for_log(lambda r: r.get("msg") == "aws call failed"
                               and r.get("code") == "TlsHandshake", timeout=15,
                               what="an aws call failed on its TLS handshake")


def test_events_and_audit_records_flow_over_verified_tls(tmp_path, tls_moto):
    server = start_api(tmp_path / "api", tls_moto["good"], str(tls_moto["ca"].bundle))
    try:
        for destination in ("sqs", "dynamodb"):
            server.wait_for_log(lambda r, d=destination: r.get("msg") == "outbox relay ready"
                                and r.get("destination") == d, timeout=20,
                                what=f"relay ready for {destination} over TLS")
        api = server.client()
        ids = create_students(api, 3)
        moto = tls_moto["moto"]
        sqs, dynamodb = moto.boto3("sqs"), moto.boto3("dynamodb")
        url = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
        received: list[dict] = []

        def all_events() -> bool:
            answer = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                         VisibilityTimeout=600, WaitTimeSeconds=1)
            received.extend(json.loads(m["Body"]) for m in answer.get("Messages", []))
            return len(received) >= 3
        harness.poll(all_events, 20, what="3 events on the queue, sent over TLS")
        assert sorted(e["data"]["student_id"] for e in received) == sorted(ids)
        harness.poll(lambda: len(dynamodb.scan(TableName=TABLE)["Items"]) == 3, 20,
                     what="3 audit items, sent over TLS")
        assert tls_errors(api) == 0
        assert harness.metric_value(api.get("/metrics").text, "aws_requests_total",
                                    {"service": "sqs", "operation": "SendMessageBatch",
                                     "outcome": "success"}) >= 1
    finally:
        server.stop()


def test_an_untrusted_certificate_fails_the_handshake_and_the_rows_wait(tmp_path, tls_moto):
    server = start_api(tmp_path / "api", tls_moto["good"], ca_bundle=None)
    try:
        api = server.client()
        create_students(api, 3)  # the outbox takes them: writes do not wait for SQS
        failed = refused_handshake(server)
        assert "certificate verify failed" in failed["error"], failed
        assert "unable to get local issuer certificate" in failed["error"], failed
        harness.poll(lambda: tls_errors(api) >= 2, 10, what="tls_error counted")
        # Nothing got through: every row still waits in the outbox.
        assert pending(server.data_dir, "outbox_events") == 3
        assert pending(server.data_dir, "audit_records") == 3
        assert server.process.is_running()
        assert api.get("/health/live").status_code == 200
    finally:
        assert server.stop() == 0


def test_a_certificate_for_another_host_name_is_refused(tmp_path, tls_moto):
    server = start_api(tmp_path / "api", tls_moto["wrong"], str(tls_moto["ca"].bundle))
    try:
        failed = refused_handshake(server)
        assert "certificate verify failed" in failed["error"], failed
        assert "hostname mismatch" in failed["error"], failed
        harness.poll(lambda: tls_errors(server.client()) >= 1, 10, what="tls_error counted")
    finally:
        assert server.stop() == 0
