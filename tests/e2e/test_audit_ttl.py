"""Audit records expire in DynamoDB (AUDIT_RETENTION_DAYS), against a real moto_server.

- The API provisions its table with Time to Live on `expires_at` (DescribeTimeToLive says
  ENABLED on that attribute), as deploy/terraform's audit-table module does.
- Every audit item carries `expires_at`, a Number: its own `timestamp`, in whole seconds
  since the epoch, plus the retention in days (30 here, not the default, so the setting is
  seen to count).
- AUDIT_RETENTION_DAYS=0 keeps records forever: the items have no `expires_at`.
"""
from __future__ import annotations

import datetime

import pytest

import harness

TABLE = "sre-playground-audit"
DAY = 86400


@pytest.fixture
def moto(tmp_path):
    server = harness.start_moto(tmp_path / "moto")
    yield server
    server.stop()


def audit_items_after_creates(tmp_path, moto, retention_days: str, count: int = 3) -> list[dict]:
    env = harness.aws_env(moto.url, sqs=False)
    env["AUDIT_RETENTION_DAYS"] = retention_days
    server = harness.start_sre_playground(tmp_path / f"api-{retention_days}", env=env)
    try:
        server.wait_for_log(lambda r: r.get("msg") == "outbox relay ready"
                            and r.get("destination") == "dynamodb", timeout=20,
                            what="relay ready for dynamodb")
        api = server.client()
        for i in range(count):
            created = api.post("/api/v1/students",
                               json={"first_name": f"Ttl{i}", "last_name": "Test", "grade": 3})
            assert created.status_code == 201, created.text
        dynamodb = moto.boto3("dynamodb")
        items: list[dict] = []

        def all_there() -> bool:
            items[:] = dynamodb.scan(TableName=TABLE)["Items"]
            return len(items) == count
        harness.poll(all_there, 15, what=f"{count} audit items")
        return items
    finally:
        server.stop()


def epoch_seconds(timestamp: str) -> int:
    """The second of an RFC 3339 UTC timestamp ("2026-11-30T19:53:42.987654Z")."""
    moment = datetime.datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%S.%fZ")
    return int(moment.replace(tzinfo=datetime.timezone.utc).timestamp())


def test_provisioned_table_has_ttl_on_expires_at_and_items_expire_after_the_retention(
        tmp_path, moto):
    items = audit_items_after_creates(tmp_path, moto, "30")
    ttl = moto.boto3("dynamodb").describe_time_to_live(TableName=TABLE)
    assert ttl["TimeToLiveDescription"] == {"TimeToLiveStatus": "ENABLED",
                                            "AttributeName": "expires_at"}
    for item in items:
        assert set(item["expires_at"]) == {"N"}, item["expires_at"]  # TTL reads Numbers only
        expected = epoch_seconds(item["timestamp"]["S"]) + 30 * DAY
        assert int(item["expires_at"]["N"]) == expected, item


def test_zero_retention_writes_no_expires_at(tmp_path, moto):
    items = audit_items_after_creates(tmp_path, moto, "0", count=2)
    assert all("expires_at" not in item for item in items), items
    # The table is the same: TTL on, reading an attribute these items do not have.
    ttl = moto.boto3("dynamodb").describe_time_to_live(TableName=TABLE)
    assert ttl["TimeToLiveDescription"]["TimeToLiveStatus"] == "ENABLED"
