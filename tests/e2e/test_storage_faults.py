"""The embedded database misbehaving for real: its disk fills up and frees again, and a
migration is edited after it ran. The service must answer 503 with Retry-After (never a 500
or a hang), lose no acknowledged write, recover without a restart, and refuse to start on a
tampered schema history."""
from __future__ import annotations

import errno
import os
import signal
import sqlite3
import subprocess
import time

import pytest

import harness
from checks import STUDENTS, assert_json, assert_schema_missing_is_named, list_all, student_path
from test_postgres_faults import WriteLoad

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MiB tmpfs of our own, unmounted afterwards."""
    mountpoint = tmp_path / "disk"
    mountpoint.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mountpoint)],
                   check=True)
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def fill(directory) -> os.PathLike:
    """Writes a file until the filesystem is full; returns its path."""
    filler = directory / "filler"
    chunk = b"\0" * 65536
    with open(filler, "wb", buffering=0) as f:
        while True:
            try:
                f.write(chunk)
            except OSError as error:
                assert error.errno == errno.ENOSPC, error
                break
    # Whatever is left is smaller than a chunk: take it too, byte by byte in small writes.
    with open(filler, "ab", buffering=0) as f:
        for _ in range(65536):
            try:
                f.write(b"\0" * 512)
            except OSError:
                break
    return filler


@needs_root
def test_full_disk_gives_503_then_recovers_without_restart(start_server, small_disk):
    srv = start_server(env={"DATABASE_URL": f"sqlite://{small_disk}/students.db"})
    api = srv.client()
    acknowledged = [assert_json(api.post(STUDENTS, json={"first_name": f"Before{i}",
                                                         "last_name": "Full", "grade": 3}), 201)
                    for i in range(5)]

    filler = fill(small_disk)
    statuses = []
    for i in range(30):
        response = api.post(STUDENTS, json={"first_name": "D" * 100, "last_name": "E" * 100,
                                            "grade": 4})
        statuses.append(response.status_code)
        assert response.status_code in (201, 503), response.text
        if response.status_code == 201:
            acknowledged.append(response.json())
        else:
            assert response.headers.get("Retry-After") == "1", response.headers
            assert response.json() == {"detail": "Service temporarily unavailable"}
    assert 503 in statuses, f"the full disk never surfaced: {statuses}"
    srv.wait_for_log(lambda r: r.get("msg") == "dependency unavailable"
                     and r.get("dependency") == "database" and r.get("request_id"),
                     what="dependency unavailable log line with a request id")
    metrics = api.get("/metrics").text
    assert harness.metric_value(metrics, "dependency_unavailable_total",
                                {"dependency": "database"}) >= 1
    # Reads of what was acknowledged keep working while writes fail.
    first = acknowledged[0]["student_id"]
    assert api.get(student_path(first)).status_code == 200

    os.unlink(filler)
    recovered = harness.poll(
        lambda: (lambda r: r if r.status_code == 201 else None)(
            api.post(STUDENTS, json={"first_name": "After", "last_name": "Full", "grade": 5})),
        timeout=10, what="a 201 once the disk has room again")
    acknowledged.append(recovered.json())
    assert srv.process.is_running(), "the service restarted or died"

    listed = {s["student_id"] for s in api.get(STUDENTS, params={"limit": 1000}).json()}
    missing = {s["student_id"] for s in acknowledged} - listed
    assert not missing, f"acknowledged students lost: {missing}"


def test_changed_migration_checksum_refuses_to_start(start_server, tmp_path):
    first = start_server()
    assert first.stop() == 0
    database = first.data_dir / "sre-playground.db"
    with sqlite3.connect(database) as db:
        db.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1")

    second = start_server(env={"DATA_DIR": str(first.data_dir)}, wait_ready=False)
    code = second.process.wait(timeout=15)
    assert code == 1, second.process.log_tail()
    failure = second.wait_for_log(lambda r: r.get("msg") == "startup failed")
    assert "was changed after it was applied" in failure["error"], failure


def test_an_unmigrated_sqlite_file_answers_503_naming_migrate(start_server, sre_binary):
    srv = start_server(env={"AUTO_MIGRATE": "false"}, wait_ready=False)
    srv.process.wait_for_url(srv.url("/health/live"), timeout=20)
    assert_schema_missing_is_named(srv)
    # Migrating from outside makes it ready without a restart.
    env = harness.clean_environment({"DATA_DIR": str(srv.data_dir)})
    migrated = subprocess.run([str(sre_binary), "migrate"], env=env, capture_output=True,
                              text=True, timeout=60)
    assert migrated.returncode == 0, migrated.stderr
    srv.process.wait_for_url(srv.url("/health/ready"), timeout=10)
    assert srv.client().post("/api/v1/students", json={"first_name": "A", "last_name": "B",
                                                       "grade": 1}).status_code == 201


@pytest.mark.slow
def test_sigkill_under_write_load_loses_no_acknowledged_student(start_server):
    """README (Durability): on SQLite a 201 means the row is on disk. Six clients write as
    fast as they can, the API is killed with SIGKILL in the middle, and a new process on the
    same file has every student that was answered 201. A SIGKILL keeps the kernel's page
    cache, so this pins that no 201 leaves before its commit; what `synchronous=FULL` adds
    against a power cut is beyond what a process can test."""
    first = start_server(env={"WORKER_THREADS": "2"})
    load = WriteLoad(first.base_url).start()
    try:
        harness.poll(lambda: load.statuses_since(0).count(201) >= 200, 20,
                     what="200 students acknowledged")
        first.process.send_signal(signal.SIGKILL)
        assert first.process.wait(timeout=10) == -signal.SIGKILL
        time.sleep(0.2)  # answers already on their way are recorded
    finally:
        load.stop()
    acknowledged = {a[4]["student_id"] for a in load.answers if a[1] == 201}

    second = start_server(env={"DATA_DIR": str(first.data_dir)})
    stored = {s["student_id"] for s in list_all(second.client())}
    missing = acknowledged - stored
    assert not missing, f"{len(missing)} of {len(acknowledged)} acknowledged students lost"
    print(f"\n{len(acknowledged)} acknowledged, {len(stored)} stored after SIGKILL")
