"""deploy/terraform: formatted (`terraform fmt -check`), and its queue and table are the ones
the application makes and uses: names from the application's settings, and the keys, index, TTL
attribute and redrive of what the application itself provisions in a real moto_server.
`terraform validate` and `plan` need the providers, which cannot be downloaded here."""
from __future__ import annotations

import json
import re
import subprocess

import pytest

import harness

TERRAFORM = harness.REPO_ROOT / "deploy" / "terraform"


def variable_defaults(module: str) -> dict[str, str]:
    text = (TERRAFORM / "modules" / module / "variables.tf").read_text()
    defaults = {}
    for name, body in re.findall(r'variable "(\w+)" \{(.*?)\n\}', text, re.S):
        found = re.search(r'^\s*default\s*=\s*"?([^"\n]*?)"?\s*(#.*)?$', body, re.M)
        if found:
            defaults[name] = found.group(1)
    return defaults


def module_names(environment: str) -> dict[str, str]:
    """{module: the name the environment gives it}."""
    text = (TERRAFORM / "environments" / environment / "main.tf").read_text()
    return dict(re.findall(r'module "(\w+)" \{[^}]*?\bname\s*=\s*"([^"]+)"', text, re.S))


def test_terraform_files_are_formatted():
    check = subprocess.run(["terraform", "fmt", "-check", "-recursive", "-diff", str(TERRAFORM)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


@pytest.mark.parametrize("environment", ["local", "aws"])
def test_names_are_the_application_defaults(environment, settings_of):
    serve = settings_of("serve")
    queue, table = variable_defaults("event-queue"), variable_defaults("audit-table")
    assert queue["name"] == serve["SQS_QUEUE_NAME"] == settings_of("worker")["SQS_QUEUE_NAME"]
    assert table["name"] == serve["DYNAMODB_TABLE"]
    assert module_names(environment) == {"event_queue": serve["SQS_QUEUE_NAME"],
                                         "audit_table": serve["DYNAMODB_TABLE"]}
    assert (queue["visibility_timeout_seconds"]
            == settings_of("worker")["WORKER_VISIBILITY_TIMEOUT_SECONDS"])


@pytest.fixture(scope="module")
def provisioned(tmp_path_factory, settings_of):
    """A real moto_server in which the API has created its queue and table at start."""
    workdir = tmp_path_factory.mktemp("provisioning")
    moto = harness.start_moto(workdir / "moto")
    api = harness.start_sre_playground(workdir / "api", env=harness.aws_env(moto.url))
    try:
        dynamodb, sqs = moto.boto3("dynamodb"), moto.boto3("sqs")
        table_name = settings_of("serve")["DYNAMODB_TABLE"]
        # Turning TTL on is the last step of the table's provisioning.
        harness.poll(lambda: table_name in dynamodb.list_tables()["TableNames"]
                     and dynamodb.describe_time_to_live(TableName=table_name)[
                         "TimeToLiveDescription"]["TimeToLiveStatus"] == "ENABLED",
                     timeout=20, what="the API provisions its table")
        # The queue is provisioned at the same time, by another destination, in four calls:
        # it is done once the redrive policy is set (the last of them).
        queue_name = settings_of("serve")["SQS_QUEUE_NAME"]

        def queue_has_redrive_policy():
            urls = sqs.list_queues(QueueNamePrefix=queue_name).get("QueueUrls", [])
            url = next((u for u in urls if u.endswith("/" + queue_name)), None)
            attributes = url and sqs.get_queue_attributes(
                QueueUrl=url, AttributeNames=["RedrivePolicy"]).get("Attributes", {})
            return bool(attributes) and "RedrivePolicy" in attributes

        harness.poll(queue_has_redrive_policy, timeout=20, what="the API provisions its queue")
        yield {"table": dynamodb.describe_table(TableName=table_name)["Table"],
               "ttl": dynamodb.describe_time_to_live(TableName=table_name)["TimeToLiveDescription"],
               "sqs": sqs}
    finally:
        api.stop()
        moto.stop()


def test_queue_and_dead_letter_queue_are_what_the_application_makes(provisioned, settings_of):
    sqs = provisioned["sqs"]
    defaults = variable_defaults("event-queue")
    main = (TERRAFORM / "modules" / "event-queue" / "main.tf").read_text()
    name = settings_of("serve")["SQS_QUEUE_NAME"]
    [dead_letter_pattern] = re.findall(r'name\s*=\s*"(\$\{var\.name\}[^"]*)"', main)
    dead_letter = dead_letter_pattern.replace("${var.name}", name)
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    policy = json.loads(sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["RedrivePolicy"])["Attributes"]["RedrivePolicy"])
    assert policy["deadLetterTargetArn"].endswith(":" + dead_letter)
    assert str(policy["maxReceiveCount"]) == defaults["max_receive_count"]


def test_table_keys_and_index_are_what_the_application_makes(provisioned):
    table = provisioned["table"]
    defaults = variable_defaults("audit-table")
    keys = {k["KeyType"]: k["AttributeName"] for k in table["KeySchema"]}
    assert keys == {"HASH": defaults["hash_key"], "RANGE": defaults["range_key"]}
    [index] = table["GlobalSecondaryIndexes"]
    assert index["IndexName"] == defaults["index_name"]
    assert {k["KeyType"]: k["AttributeName"] for k in index["KeySchema"]} == {
        "HASH": defaults["index_hash_key"], "RANGE": defaults["range_key"]}
    assert index["Projection"]["ProjectionType"] == "ALL"
    main = (TERRAFORM / "modules" / "audit-table" / "main.tf").read_text()
    assert 'projection_type = "ALL"' in main
    assert re.search(r"point_in_time_recovery \{\s*enabled\s*=\s*true", main)
    assert re.search(r"ttl \{\s*attribute_name\s*=\s*var\.ttl_attribute\s*enabled\s*=\s*true", main)
    # The attribute whose time the table's TTL reads is the one the application turns TTL on
    # for (and writes on every audit item, tests/e2e/test_audit_ttl.py).
    assert provisioned["ttl"] == {"TimeToLiveStatus": "ENABLED",
                                  "AttributeName": defaults["ttl_attribute"]}
