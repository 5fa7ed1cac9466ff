"""`sre-playground migrate` and the migrations `serve` applies at start, on PostgreSQL:
status before and after, a tampered history stopping the start with a clear message,
AUTO_MIGRATE=false, and two instances migrating the same database at once."""
from __future__ import annotations

import subprocess

import harness
from checks import assert_schema_missing_is_named


def migrate(binary, url: str, *args: str) -> subprocess.CompletedProcess:
    env = harness.clean_environment({"DATABASE_URL": url})
    return subprocess.run([str(binary), "migrate", *args], env=env, capture_output=True,
                          text=True, timeout=60)


def test_migrate_status_then_apply_then_status(sre_binary, new_database):
    url = new_database(scheme="postgres")  # the seed's .env.example spelling
    before = migrate(sre_binary, url, "--status")
    assert before.returncode == 0, before.stderr
    assert "0001  create_students" in before.stdout and "pending" in before.stdout
    assert "0002  events_outbox" in before.stdout
    assert "0 applied, 2 pending" in before.stdout
    assert "sre-test-password" not in before.stdout  # the URL is shown redacted

    applied = migrate(sre_binary, url)
    assert applied.returncode == 0, applied.stderr
    assert "2 migration(s) applied" in applied.stdout

    again = migrate(sre_binary, url)
    assert again.returncode == 0 and "0 migration(s) applied" in again.stdout

    after = migrate(sre_binary, url, "--status")
    assert after.returncode == 0
    assert "applied" in after.stdout and "2 applied, 0 pending" in after.stdout


def test_changed_checksum_stops_start_and_migrate(sre_binary, new_database, postgres,
                                                  start_server):
    url = new_database()
    assert migrate(sre_binary, url).returncode == 0
    database = url.rsplit("/", 1)[1]
    postgres.psql(database, "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1")

    result = migrate(sre_binary, url)
    assert result.returncode == 1
    assert "migration 1 (create_students) was changed after it was applied" in result.stderr

    srv = start_server(env={"DATABASE_URL": url}, wait_ready=False)
    assert srv.process.wait(timeout=20) == 1
    srv.wait_for_log(lambda r: r.get("msg") == "startup failed"
                     and "was changed after it was applied" in r.get("error", ""),
                     what="startup failed log naming the changed migration")


def test_auto_migrate_false_leaves_schema_alone_and_not_ready(sre_binary, new_database,
                                                              postgres, start_server):
    url = new_database()
    srv = start_server(env={"DATABASE_URL": url, "AUTO_MIGRATE": "false"}, wait_ready=False)
    srv.process.wait_for_url(srv.url("/health/live"), timeout=20)
    assert_schema_missing_is_named(srv)
    database = url.rsplit("/", 1)[1]
    assert postgres.query(database, "SELECT to_regclass('students') IS NULL") == [["t"]]
    # Migrating from outside makes it ready without a restart.
    assert migrate(sre_binary, url).returncode == 0
    srv.process.wait_for_url(srv.url("/health/ready"), timeout=10)


def test_two_instances_migrating_at_once_do_not_race(sre_binary, new_database, postgres,
                                                     start_server):
    url = new_database()
    env = harness.clean_environment({"DATABASE_URL": url})
    processes = [subprocess.Popen([str(sre_binary), "migrate"], env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(3)]
    outputs = [p.communicate(timeout=60) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    applied = sorted(out for out, _ in outputs)
    assert sum("2 migration(s) applied" in out for out in applied) == 1, applied
    database = url.rsplit("/", 1)[1]
    assert postgres.query(database, "SELECT version FROM schema_migrations ORDER BY version") \
        == [["1"], ["2"]]

    # And two serve instances on a fresh database, starting together.
    url2 = new_database()
    servers = [start_server(env={"DATABASE_URL": url2}, wait_ready=False) for _ in range(2)]
    for srv in servers:
        srv.process.wait_for_url(srv.url("/health/ready"), timeout=20)
    database2 = url2.rsplit("/", 1)[1]
    assert postgres.query(database2, "SELECT count(*) FROM schema_migrations") == [["2"]]
