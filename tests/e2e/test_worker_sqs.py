"""The worker consuming the SQS queue (ENABLE_SQS=true) of a real moto_server, fed by the relay
of a real API: counts exact and every message deleted once applied; a malformed message on
the queue neither stops the worker nor is deleted (it moves to the dead-letter queue after its
receives run out); SIGKILL mid-batch (fault 2) with a restart; readiness follows the queue's
reachability through a cut link; one write followed from the API's log to the worker's.
"""
from __future__ import annotations

import collections
import json
import random
import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

import harness
from checks import STUDENTS, assert_json, student_path

STATS = "/api/v1/stats/grades"
QUEUE = "student-events"


@pytest.fixture
def moto(tmp_path):
    server = harness.start_moto(tmp_path / "moto")
    yield server
    server.stop()


class SqsStack:
    def __init__(self, server, moto, tmp_path, binary):
        self.server = server
        self.api = server.client()
        self.moto = moto
        self.sqs = moto.boto3("sqs")
        self.tmp_path = tmp_path
        self.binary = binary
        self.workers: list[harness.Worker] = []

    def start_worker(self, env=None, endpoint=None, name="worker", wait_ready=True):
        settings = harness.aws_env(endpoint or self.moto.url, sqs=True, dynamodb=False)
        settings.update({"DATA_DIR": str(self.server.data_dir), "WORKER_WAIT_SECONDS": "1",
                         "WORKER_VISIBILITY_TIMEOUT_SECONDS": "5"})
        settings.update(env or {})
        worker = harness.start_worker(self.tmp_path, env=settings, binary=self.binary, name=name,
                                      wait_ready=wait_ready)
        self.workers.append(worker)
        return worker

    def queue_url(self, name=QUEUE) -> str:
        return self.sqs.get_queue_url(QueueName=name)["QueueUrl"]

    def messages_in(self, name=QUEUE) -> int:
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=self.queue_url(name),
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
        return sum(int(v) for v in attributes["Attributes"].values())

    def create(self, grade):
        return assert_json(self.api.post(STUDENTS, json={"first_name": "Ada", "last_name": "L",
                                                         "grade": grade}), 201)

    def wait_until_counts_match(self, welcomes, timeout=30.0):
        students = assert_json(self.api.get(STUDENTS, params={"limit": 1000}), 200)
        expected = dict(collections.Counter(s["grade"] for s in students))

        def matches():
            stats = assert_json(self.api.get(STATS), 200)
            counted = {g["grade"]: g["students"] for g in stats["grades"]}
            return counted == expected and stats["welcome_notifications"] == welcomes
        try:
            harness.poll(matches, timeout, interval=0.1, what="the worker's counts")
        except TimeoutError as error:
            raise AssertionError(f"{error}: expected {expected}, {welcomes} welcomes; counted "
                                 f"{self.api.get(STATS).json()}") from None

    def stop(self):
        for worker in self.workers:
            worker.stop()
        self.api.close()


@pytest.fixture
def stack(start_server, moto, tmp_path, sre_binary):
    server = start_server(env=harness.aws_env(moto.url, sqs=True, dynamodb=False))
    stack = SqsStack(server, moto, tmp_path, sre_binary)
    yield stack
    stack.stop()


def test_counts_exact_and_every_message_deleted_once_applied(stack):
    worker = stack.start_worker()
    rng = random.Random(5)
    created = [stack.create(rng.randint(1, 12)) for _ in range(30)]
    for student in created[:10]:
        assert_json(stack.api.patch(student_path(student["student_id"]),
                                    json={"grade": student["grade"] % 12 + 1}), 200)
    for student in created[10:18]:
        assert stack.api.delete(student_path(student["student_id"])).status_code == 204
    stack.wait_until_counts_match(welcomes=30)
    events = 30 + 10 + 8
    harness.poll(lambda: worker.events("processed") == events, 10, what="every event processed")
    # Deleted only after their effects were committed: none left, none in flight.
    harness.poll(lambda: stack.messages_in() == 0, 10, what="an empty queue")
    assert worker.events("duplicate") == 0 and worker.events("malformed") == 0
    text = worker.metrics()
    assert harness.metric_value(text, "aws_requests_total", {
        "service": "sqs", "operation": "DeleteMessageBatch", "outcome": "success"}) > 0
    assert requests.get(worker.url("/health/ready"), timeout=5).status_code == 200


def test_a_malformed_message_does_not_stop_the_worker_and_ends_in_the_dead_letter_queue(stack):
    worker = stack.start_worker({"WORKER_VISIBILITY_TIMEOUT_SECONDS": "2"})
    stack.create(3)  # the relay provisions the queue; the worker consumes it
    stack.wait_until_counts_match(welcomes=1)
    stack.sqs.send_message(QueueUrl=stack.queue_url(), MessageBody="{\"event_id\": 42, oops")
    stack.create(4)
    stack.wait_until_counts_match(welcomes=2)
    harness.poll(lambda: worker.events("malformed", "unknown") >= 1, 10,
                 what="the malformed message seen")
    # Never deleted: after maxReceiveCount (5) receives the queue moves it to its dead-letter
    # queue, where a human can look at it. The worker went on meanwhile.
    harness.poll(lambda: stack.messages_in(QUEUE + "-dlq") == 1, 45, interval=0.5,
                 what="the malformed message in the dead-letter queue")
    assert worker.events("malformed", "unknown") >= 5
    stack.create(5)
    stack.wait_until_counts_match(welcomes=3)
    assert worker.process.is_running()
    assert requests.get(worker.url("/health/ready"), timeout=5).status_code == 200


def test_killed_mid_batch_and_restarted_the_counts_stay_exact(stack):
    """Fault 2 with SQS: SIGKILL while applying; what was applied but not deleted comes back
    after its visibility timeout and is recognised by its event_id."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: stack.create(1 + i % 12), range(300)))
    harness.poll(lambda: stack.messages_in() >= 300, 30, interval=0.2,
                 what="the relay shipping every event")
    worker = stack.start_worker({"WORKER_BATCH_SIZE": "10"})
    harness.poll(lambda: worker.events("processed") >= 30, 30, interval=0.005,
                 what="the worker into the backlog")
    worker.kill()
    database = stack.server.data_dir / "sre-playground.db"
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as connection:
        applied = connection.execute("SELECT count(*) FROM processed_events").fetchone()[0]
    assert 0 < applied < 300, "the kill should land mid-backlog"
    restarted = stack.start_worker({"WORKER_BATCH_SIZE": "10"}, name="worker-restarted")
    stack.wait_until_counts_match(welcomes=300, timeout=60)
    harness.poll(lambda: stack.messages_in() == 0, 20, what="an empty queue")
    # The batch in hand at the kill was applied (some of it) but not deleted: seen again.
    assert restarted.events("processed") + restarted.events("duplicate") >= 1


def test_readiness_follows_the_queue_through_a_cut_link(stack):
    proxy = harness.TcpProxy(stack.moto.port).start()
    try:
        worker = stack.start_worker(endpoint=proxy.url)
        proxy.cut()
        harness.poll(lambda: requests.get(worker.url("/health/ready"), timeout=5).status_code
                     == 503, 15, what="not ready while SQS is unreachable")
        body = requests.get(worker.url("/health/ready"), timeout=5).json()
        assert body["reason"] == "event source unreachable"
        assert harness.metric_value(worker.metrics(), "worker_consuming") == 0
        stack.create(6)  # committed meanwhile; the relay holds it until SQS is back
        proxy.restore()
        harness.poll(lambda: requests.get(worker.url("/health/ready"), timeout=5).status_code
                     == 200, 20, what="ready again")
        stack.wait_until_counts_match(welcomes=1)
        assert harness.metric_value(worker.metrics(), "worker_consuming") == 1
        assert worker.process.is_running()
    finally:
        proxy.cut()


def test_audit_comes_from_dynamodb_when_it_is_enabled(start_server, moto):
    """ENABLE_DYNAMODB: the audit endpoint queries the table the relay fills (newest first);
    with DynamoDB cut off it answers 503 + Retry-After rather than the local table."""
    proxy = harness.TcpProxy(moto.port).start()
    try:
        server = start_server(env=harness.aws_env(proxy.url, sqs=False, dynamodb=True))
        api = server.client()
        student = assert_json(api.post(STUDENTS, json={"first_name": "Ada", "last_name": "L",
                                                       "grade": 7}), 201)
        path = student_path(student["student_id"]) + "/audit"
        assert_json(api.patch(student_path(student["student_id"]), json={"grade": 8}), 200)

        def both_records():
            records = assert_json(api.get(path), 200)["records"]
            return records if len(records) == 2 else None
        records = harness.poll(both_records, 20, interval=0.2, what="two audit items in DynamoDB")
        assert [r["action"] for r in records] == ["update", "create"]
        assert records[0]["details"]["after"]["grade"] == 8
        items = moto.boto3("dynamodb").scan(TableName="sre-playground-audit")["Items"]
        assert {i["id"]["S"] for i in items} == {r["id"] for r in records}
        proxy.cut()
        answer = api.get(path)
        assert answer.status_code == 503 and answer.headers.get("Retry-After")
        api.close()
    finally:
        proxy.cut()


def test_a_queue_deleted_under_the_worker_is_provisioned_again_by_the_worker(stack):
    """moto restarted empty (or someone deleted the queue): the worker's cached queue URL names
    nothing. The worker must find out and provision the queue again by itself, without waiting
    for the API's relay to do it (no student is created while the queue is gone)."""
    def queue_exists() -> bool:
        try:
            stack.queue_url()
            return True
        except stack.sqs.exceptions.QueueDoesNotExist:
            return False

    worker = stack.start_worker()
    harness.poll(lambda: "receiving from SQS" in worker.process.log_text(), 20,
                 what="the worker receiving from its queue")
    stack.sqs.delete_queue(QueueUrl=stack.queue_url())
    # Only the worker can bring it back here: nothing is created, so the relay sends nothing.
    harness.poll(lambda: worker.process.log_text().count("the queue is gone") >= 1, 20,
                 what="the worker noticing the queue is gone")
    harness.poll(queue_exists, 20, what="the worker provisioning the queue again")
    harness.poll(lambda: requests.get(worker.url("/health/ready"), timeout=5).status_code == 200,
                 20, what="the worker ready on the new queue")
    stack.create(8)
    stack.wait_until_counts_match(welcomes=1)


def json_lines(process) -> list[dict]:
    return [json.loads(line) for line in process.log_text().splitlines() if line.startswith("{")]


def test_one_write_is_followed_from_the_apis_log_to_the_workers(stack):
    """The write's trace reaches the worker in the event (body and SQS message attribute), and
    the worker's lines for that event carry it: same trace and request id, a span of its own
    whose parent is the API's span of the write."""
    trace, caller_span = "5cf92f3577b34da6a3ce929d0e0e4736", "10f067aa0ba902b7"
    worker = stack.start_worker()
    answer = stack.api.post(STUDENTS, json={"first_name": "Ada", "last_name": "L", "grade": 4},
                            headers={"traceparent": f"00-{trace}-{caller_span}-01",
                                     "X-Request-ID": "follow-this-write"})
    assert answer.status_code == 201, answer.text
    _, _, api_span, _ = answer.headers["traceparent"].split("-")

    def api_lines():  # written by the log's background thread: it may take a moment
        return [r for r in json_lines(stack.server.process)
                if r.get("msg") == "student created" and r.get("trace_id") == trace]
    (api_line,) = harness.poll(api_lines, 10, what="the API's line of the write")
    assert api_line["span_id"] == api_span
    assert api_line["request_id"] == "follow-this-write"

    def workers_lines():
        return [r for r in json_lines(worker.process) if r.get("trace_id") == trace]
    (worker_line,) = harness.poll(workers_lines, 15, what="the worker's line of the write's event")
    assert worker_line["msg"] == "event applied"
    assert worker_line["event_type"] == "student_created"
    assert worker_line["request_id"] == "follow-this-write"
    assert worker_line["parent_span_id"] == api_span
    assert re.fullmatch(r"[0-9a-f]{16}", worker_line["span_id"])
    assert worker_line["span_id"] not in (api_span, caller_span)
