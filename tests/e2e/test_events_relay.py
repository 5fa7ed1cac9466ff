"""The outbox relay of `serve` against a real moto_server: student changes reach the SQS queue
`student-events` and the DynamoDB table `sre-playground-audit`, and survive faults.

- The seed's demo step 5: `aws sqs receive-message` shows the `student_created` events.
- Fault 1, an AWS outage: moto is cut off behind a TCP proxy; 100 creates all get 201; after
  the link is back, all 100 events are on the queue and all 100 audit items in the table
  within 30 s, and the outbox metrics show the backlog rising and draining.
- Fault 3, the API SIGKILLed while relaying: after a restart nothing is lost, and whatever is
  sent twice is the same event (same event_id, same body).
- Fault 4, two API instances relaying from one PostgreSQL: no event_id twice on the queue.

Every process is real (the API binary, moto_server, PostgreSQL); nothing is mocked.
"""
from __future__ import annotations

import concurrent.futures
import json
import shutil
import signal
import sqlite3
import subprocess
import time

import pytest

import harness

QUEUE = "student-events"
TABLE = "sre-playground-audit"


@pytest.fixture
def moto(tmp_path):
    server = harness.start_moto(tmp_path / "moto")
    yield server
    server.stop()


@pytest.fixture
def proxy(moto):
    link = harness.start_proxy(moto.port)
    yield link
    link.cut()


def relay_env(endpoint_url: str, **extra: str) -> dict[str, str]:
    env = harness.aws_env(endpoint_url)
    # Quick recovery in tests: the breaker probes after 1 s, backoff stays under 1 s.
    env.update({"RELAY_BREAKER_OPEN_SECONDS": "1", "RELAY_BACKOFF_MAX_MS": "1000",
                "WORKER_THREADS": "2"})
    env.update(extra)
    return env


def create_students(api: harness.ApiClient, count: int, prefix: str = "Relay") -> list[str]:
    ids = []
    for i in range(count):
        response = api.post("/api/v1/students",
                            json={"first_name": f"{prefix}{i}", "last_name": "Test",
                                  "grade": i % 12 + 1})
        assert response.status_code == 201, response.text
        ids.append(response.json()["student_id"])
    return ids


def metric(api: harness.ApiClient, name: str, **labels: str) -> float:
    return harness.metric_value(api.get("/metrics").text, name, labels)


def wait_relay_ready(server: harness.SreServer, destination: str = "sqs") -> None:
    server.wait_for_log(lambda r: r.get("msg") == "outbox relay ready"
                        and r.get("destination") == destination, timeout=20,
                        what=f"relay ready for {destination}")


def drain_queue(sqs, queue_url: str, expected: int, timeout: float = 30.0,
                raw: bool = False) -> list[dict]:
    """Receives (without deleting: a long visibility timeout hides what was received) until
    `expected` messages came, then until two receives in a row come back empty. The event
    bodies, or with `raw` the messages as received (with their attributes)."""
    messages: list[dict] = []
    deadline = time.monotonic() + timeout
    empty = 0
    while time.monotonic() < deadline:
        answer = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                     WaitTimeSeconds=1, VisibilityTimeout=600,
                                     MessageAttributeNames=["All"])
        batch = answer.get("Messages", [])
        messages += batch
        empty = 0 if batch else empty + 1
        if len(messages) >= expected and empty >= 2:
            break
    return messages if raw else [json.loads(m["Body"]) for m in messages]


def audit_items(dynamodb) -> list[dict]:
    items, start = [], None
    while True:
        kwargs = {"TableName": TABLE}
        if start:
            kwargs["ExclusiveStartKey"] = start
        page = dynamodb.scan(**kwargs)
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def pending_events(data_dir) -> int:
    """Event rows neither delivered nor given up on, read from the SQLite file itself (the
    outbox_pending gauge is refreshed every 2 s and may lag)."""
    with sqlite3.connect(data_dir / "sre-playground.db") as db:
        return db.execute("SELECT count(*) FROM outbox_events WHERE delivered_at IS NULL"
                          " AND undeliverable_reason IS NULL").fetchone()[0]


def outbox_event_ids(data_dir) -> list[str]:
    with sqlite3.connect(data_dir / "sre-playground.db") as db:
        return [row[0] for row in db.execute("SELECT event_id FROM outbox_events")]


# --------------------------------------------------------------------------------------------


def test_created_students_reach_the_queue_and_the_audit_table(tmp_path, moto):
    server = harness.start_sre_playground(tmp_path / "api", env=relay_env(moto.url))
    try:
        api = server.client()
        wait_relay_ready(server, "sqs")
        wait_relay_ready(server, "dynamodb")
        ids = create_students(api, 5)
        sqs = moto.boto3("sqs")
        queue_url = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
        messages = drain_queue(sqs, queue_url, 5, raw=True)
        events = [json.loads(m["Body"]) for m in messages]
        assert sorted(e["data"]["student_id"] for e in events) == sorted(ids)
        assert {e["event_type"] for e in events} == {"student_created"}
        # Each message carries its writer's trace as the attribute tracing tools read.
        for message, event in zip(messages, events):
            assert message["MessageAttributes"]["traceparent"] == {
                "StringValue": event["traceparent"], "DataType": "String"}
        assert all(e["data"]["name"] == f"{e['data']['first_name']} Test" for e in events)

        harness.poll(lambda: len(audit_items(moto.boto3("dynamodb"))) == 5, 10,
                     what="5 audit items")
        by_student = moto.boto3("dynamodb").query(
            TableName=TABLE, IndexName="student_id-index",
            KeyConditionExpression="student_id = :s",
            ExpressionAttributeValues={":s": {"S": ids[0]}})
        assert by_student["Items"][0]["action"]["S"] == "create"

        # Provisioned as promised: a dead-letter queue after 5 receives.
        attributes = sqs.get_queue_attributes(QueueUrl=queue_url,
                                              AttributeNames=["RedrivePolicy"])["Attributes"]
        policy = json.loads(attributes["RedrivePolicy"])
        assert int(policy["maxReceiveCount"]) == 5
        assert policy["deadLetterTargetArn"].endswith(":student-events-dlq")

        harness.poll(lambda: metric(api, "outbox_pending", topic="events") == 0
                     and metric(api, "events_published_total", destination="sqs") == 5, 10,
                     what="the backlog gauge and the published counter")
        assert metric(api, "aws_requests_total", service="sqs", operation="SendMessageBatch",
                      outcome="success") >= 1
    finally:
        server.stop()


@pytest.mark.skipif(shutil.which("aws") is None, reason="the aws CLI is not installed")
def test_demo_step_5_aws_cli_receives_the_student_created_events(tmp_path, moto):
    """The seed's demo: `aws --endpoint-url=... sqs receive-message --queue-url <URL>`."""
    server = harness.start_sre_playground(tmp_path / "api", env=relay_env(moto.url))
    try:
        wait_relay_ready(server)
        ids = create_students(server.client(), 3)
        cli_env = {**harness.clean_environment(), "AWS_ACCESS_KEY_ID": "test",
                   "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1"}

        def aws(*args: str) -> dict:
            result = subprocess.run(["aws", f"--endpoint-url={moto.url}", "sqs", *args],
                                    capture_output=True, text=True, env=cli_env, timeout=60,
                                    check=True)
            return json.loads(result.stdout or "{}")

        queue_url = aws("get-queue-url", "--queue-name", QUEUE)["QueueUrl"]
        received: list[dict] = []

        def all_three() -> bool:
            answer = aws("receive-message", "--queue-url", queue_url,
                         "--max-number-of-messages", "10", "--visibility-timeout", "600")
            received.extend(json.loads(m["Body"]) for m in answer.get("Messages", []))
            return len(received) >= 3
        harness.poll(all_three, 30, interval=0.2, what="three messages via the aws CLI")
        assert {e["event_type"] for e in received} == {"student_created"}
        assert sorted(e["data"]["student_id"] for e in received) == sorted(ids)
    finally:
        server.stop()


@pytest.mark.slow
def test_an_aws_outage_loses_nothing_and_the_backlog_drains(tmp_path, moto, proxy):
    """Fault 1: the link to moto is cut; creates still succeed; after it is restored the
    outbox drains within 30 s, and the metrics show it."""
    server = harness.start_sre_playground(tmp_path / "api", env=relay_env(proxy.url))
    try:
        api = server.client()
        wait_relay_ready(server, "sqs")
        wait_relay_ready(server, "dynamodb")
        proxy.cut()
        ids = create_students(api, 100, prefix="Outage")  # every one answered 201
        peak = harness.poll(lambda: metric(api, "outbox_pending", topic="events") >= 100
                            and metric(api, "outbox_pending", topic="audit") >= 100, 10,
                            what="the backlog gauges to show the 100 rows")
        assert peak
        harness.poll(lambda: metric(api, "outbox_oldest_pending_age_seconds", topic="events")
                     >= 1, 10, what="the oldest pending row to age")
        assert metric(api, "events_publish_failed_total", destination="sqs") > 0
        assert metric(api, "aws_requests_total", service="sqs", operation="SendMessageBatch",
                      outcome="transport_error") > 0

        proxy.restore()
        restored = time.monotonic()
        sqs = moto.boto3("sqs")
        queue_url = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
        events = drain_queue(sqs, queue_url, 100, timeout=30)
        assert sorted(e["data"]["student_id"] for e in events) == sorted(ids)
        assert len({e["event_id"] for e in events}) == 100
        harness.poll(lambda: len(audit_items(moto.boto3("dynamodb"))) == 100,
                     30 - (time.monotonic() - restored), what="100 audit items")
        harness.poll(lambda: metric(api, "outbox_pending", topic="events") == 0
                     and metric(api, "outbox_pending", topic="audit") == 0
                     and metric(api, "outbox_oldest_pending_age_seconds", topic="events") == 0,
                     max(1.0, 30 - (time.monotonic() - restored)),
                     what="the backlog gauges to drain")
        assert time.monotonic() - restored < 30
        assert metric(api, "events_published_total", destination="sqs") == 100
        assert metric(api, "events_published_total", destination="dynamodb") == 100
    finally:
        server.stop()


@pytest.mark.slow
def test_a_sigkilled_api_loses_no_event_and_resends_only_the_same_ones(tmp_path, moto):
    """Fault 3: SIGKILL while the relay is sending; after a restart every outbox row is on
    the queue, and a row sent twice is the same message (same event_id, same body)."""
    env = relay_env(moto.url, RELAY_LEASE_SECONDS="2", ENABLE_DYNAMODB="false")
    workdir = tmp_path / "api"
    server = harness.start_sre_playground(workdir, env=env)
    wait_relay_ready(server)
    api = server.client(timeout=5)
    created: list[str] = []

    def keep_creating() -> None:
        for i in range(2000):
            try:
                response = api.post("/api/v1/students",
                                    json={"first_name": f"Kill{i}", "last_name": "Test",
                                          "grade": i % 12 + 1})
            except Exception:  # noqa: BLE001 - the API was killed under us
                return
            if response.status_code == 201:
                created.append(response.json()["student_id"])

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        writer = pool.submit(keep_creating)
        harness.poll(lambda: metric(api, "events_published_total", destination="sqs") >= 50,
                     20, what="the relay to be sending")
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=10)
        writer.result(timeout=30)
    server.stop()

    restarted = harness.start_sre_playground(workdir, env=env, port=server.port)
    try:
        harness.poll(lambda: pending_events(restarted.data_dir) == 0, 30,
                     what="the outbox to drain after the restart")
        written = outbox_event_ids(restarted.data_dir)
    finally:
        restarted.stop()

    sqs = moto.boto3("sqs")
    queue_url = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
    events = drain_queue(sqs, queue_url, len(written), timeout=60)
    by_id: dict[str, list[dict]] = {}
    for event in events:
        by_id.setdefault(event["event_id"], []).append(event)
    assert set(written) <= set(by_id), "events committed but never sent"
    assert {s for s in created} <= {e["data"]["student_id"] for e in events}
    for event_id, copies in by_id.items():
        assert all(copy == copies[0] for copy in copies), f"{event_id} sent with different bodies"
    assert len(written) >= 50


@pytest.mark.slow
def test_two_instances_on_one_postgres_send_no_event_twice(tmp_path, moto, new_database):
    """Fault 4: both instances relay from the same outbox at once; leases and SKIP LOCKED
    keep every row with one of them."""
    database_url = new_database()
    env = relay_env(moto.url, DATABASE_URL=database_url, ENABLE_DYNAMODB="false",
                    RELAY_POLL_INTERVAL_MS="20")
    first = harness.start_sre_playground(tmp_path / "a", env=env)
    second = harness.start_sre_playground(tmp_path / "b", env=env)
    try:
        wait_relay_ready(first)
        wait_relay_ready(second)
        clients = [first.client(), second.client()]
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            batches = list(pool.map(lambda n: create_students(clients[n % 2], 50, f"Two{n}"),
                                    range(4)))
        ids = [sid for batch in batches for sid in batch]
        # (Not the outbox_pending gauge: it is refreshed every 2 s and may still say 0.)
        harness.poll(lambda: sum(metric(c, "events_published_total", destination="sqs")
                                 for c in clients) >= 200, 30, what="200 events published")
        published = [metric(c, "events_published_total", destination="sqs") for c in clients]
    finally:
        first.stop()
        second.stop()

    sqs = moto.boto3("sqs")
    events = drain_queue(sqs, sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"], 200)
    event_ids = [e["event_id"] for e in events]
    assert len(event_ids) == len(set(event_ids)) == 200, "an event was sent twice"
    assert sorted(e["data"]["student_id"] for e in events) == sorted(ids)
    assert sum(published) == 200
    assert all(p > 0 for p in published), f"only one instance relayed: {published}"
