"""Configuration: invalid values exit 2 with one line on stderr, --help, precedence, limits."""
from __future__ import annotations

import subprocess

import pytest

import harness
from checks import STUDENTS, assert_json, student_path
from harness import raw_request


def run_serve(binary, tmp_path, env=None, args=(), timeout=10):
    """Runs `serve` expecting it to exit on its own; kills it (and fails) if it does not."""
    settings = {"HOST": harness.LOOPBACK, "PORT": str(harness.free_port()),
                "DATA_DIR": str(tmp_path / "data"), "SHUTDOWN_DELAY_SECONDS": "0",
                "WEB_DIR": str(harness.REPO_ROOT / "web")}
    (tmp_path / "data").mkdir(exist_ok=True)
    settings.update(env or {})
    process = subprocess.Popen([str(binary), "serve", *args], cwd=tmp_path,
                               env=harness.clean_environment(settings),
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate(timeout=10)
        pytest.fail(f"`serve {' '.join(args)}` with {env} did not exit within {timeout}s; "
                    f"stdout={stdout[-500:]!r} stderr={stderr[-500:]!r}")
    return process.returncode, stdout.decode(errors="replace"), stderr.decode(errors="replace")


INVALID = [
    ({"PORT": "abc"}, (), "PORT"),
    ({"PORT": "70000"}, (), "PORT"),
    ({"PORT": "-1"}, (), "PORT"),
    ({"PORT": "80a"}, (), "PORT"),
    ({}, ("--port", "abc"), "PORT"),
    ({}, ("--port", "70000"), "PORT"),
    ({"LOG_LEVEL": "loud"}, (), "LOG_LEVEL"),
    ({"ACCESS_LOG_SAMPLE_RATE": "2"}, (), "ACCESS_LOG_SAMPLE_RATE"),
    ({"ACCESS_LOG_SAMPLE_RATE": "x"}, (), "ACCESS_LOG_SAMPLE_RATE"),
    ({"SHUTDOWN_DELAY_SECONDS": "-1"}, (), "SHUTDOWN_DELAY_SECONDS"),
    ({"SHUTDOWN_TIMEOUT_SECONDS": "soon"}, (), "SHUTDOWN_TIMEOUT_SECONDS"),
    ({"WORKER_THREADS": "many"}, (), "WORKER_THREADS"),
    ({"DB_THREADS": "-2"}, (), "DB_THREADS"),
    ({"MAX_BODY_BYTES": "1MB"}, (), "MAX_BODY_BYTES"),
    ({"MAX_HEADER_BYTES": "big"}, (), "MAX_HEADER_BYTES"),
    ({"REQUEST_TIMEOUT_SECONDS": "ten"}, (), "REQUEST_TIMEOUT_SECONDS"),
    ({"IDLE_TIMEOUT_SECONDS": "1.5"}, (), "IDLE_TIMEOUT_SECONDS"),
    ({"DATABASE_URL": "mysql://db/x"}, (), "DATABASE_URL"),
]


@pytest.mark.parametrize("env,args,setting", INVALID,
                         ids=[f"{e or ''}{' '.join(a)}" for e, a, _ in INVALID])
def test_invalid_config_exits_2_with_one_line(sre_binary, tmp_path, env, args, setting):
    code, stdout, stderr = run_serve(sre_binary, tmp_path, env, args)
    assert code == 2, f"exit {code}; stderr={stderr!r} stdout={stdout[-300:]!r}"
    message = stderr.strip()
    assert message, f"nothing on stderr; stdout={stdout[-300:]!r}"
    assert "\n" not in message, f"stderr is not one line: {stderr!r}"
    flag = "--" + setting.lower().replace("_", "-")
    assert setting in message or flag in message, \
        f"message does not name {setting}: {message!r}"


def test_unknown_flag_exits_2(sre_binary, tmp_path):
    code, _, stderr = run_serve(sre_binary, tmp_path, args=("--no-such-flag",))
    assert code == 2, f"exit {code}; stderr={stderr!r}"
    assert stderr.strip() and "\n" not in stderr.strip(), stderr


def test_serve_help_lists_every_setting_and_default(sre_binary, tmp_path):
    result = subprocess.run([str(sre_binary), "serve", "--help"], cwd=tmp_path,
                            env=harness.clean_environment(), capture_output=True, timeout=10)
    output = (result.stdout + result.stderr).decode(errors="replace")
    assert result.returncode == 0, output
    missing = [name for name in harness.SRE_SETTINGS if name not in output]
    assert not missing, f"--help does not mention {missing}:\n{output}"
    for default in ("0.0.0.0", "8000", "./data", "development", "1048576", "8192",
                    "share/sre-playground/web"):
        assert default in output, f"--help does not show default {default!r}"
    for flag in ("--port", "--host", "--shutdown-delay-seconds", "--max-body-bytes"):
        assert flag in output, f"--help does not show {flag}"


def test_dotenv_env_and_flag_precedence(start_server, tmp_path):
    """default < .env < process environment < flag"""
    flag_port = harness.free_port()
    srv_dir = tmp_path / "server0"  # start_server's first working directory
    srv_dir.mkdir()
    (srv_dir / ".env").write_text(
        "# comment\nENVIRONMENT=from-dotenv\nexport APP_NAME='dotenv-app'\n"
        "LOG_LEVEL=warn\n")
    srv = start_server(env={"APP_NAME": "env-app", "PORT": str(harness.free_port())},
                       args=["--port", str(flag_port), "--log-level", "info"])
    assert srv.port == flag_port
    body = assert_json(srv.client().get("/"), 200)
    assert body["environment"] == "from-dotenv", body
    assert body["app"] == "env-app", body
    srv.wait_for_log(lambda r: r.get("msg") == "starting", what="starting line")


def test_custom_environment_and_limits(start_server):
    # Production needs a JWT secret of its own, and a token on the public API.
    srv = start_server(env={"ENVIRONMENT": "production", "MAX_BODY_BYTES": "1000",
                            "MAX_HEADER_BYTES": "2048",
                            "JWT_SECRET": "a production secret of at least 32 bytes"})
    api = srv.admin_client()
    assert api.get("/").json()["environment"] == "production"
    small = b'{"first_name":"a","last_name":"b","grade":1,"pad":"' + b"x" * 900 + b'"}'
    assert len(small) <= 1000
    assert api.post(STUDENTS, data=small,
                    headers={"Content-Type": "application/json"}).status_code == 201
    big = b'{"first_name":"a","last_name":"b","grade":1,"pad":"' + b"x" * 1000 + b'"}'
    response = api.post(STUDENTS, data=big, headers={"Content-Type": "application/json"})
    assert assert_json(response, 413) == {"detail": "Request body too large"}
    with srv.raw() as conn:
        conn.send(raw_request("GET", "/health/live", [("X-Pad", "p" * 3000)]))
        assert conn.read_response().status == 431
    with srv.raw() as conn:
        conn.send(raw_request("GET", "/health/live", [("X-Pad", "p" * 1000)]))
        assert conn.read_response().status == 200


def test_data_dir_holds_sqlite_file_and_data_survives_restart(start_server, tmp_path):
    first = start_server()
    created = assert_json(first.client().post(
        STUDENTS, json={"first_name": "Per", "last_name": "Sistent", "grade": 8}), 201)
    assert (first.data_dir / "sre-playground.db").is_file()
    assert first.stop() == 0
    second = start_server(env={"DATA_DIR": str(first.data_dir)})
    fetched = assert_json(second.client().get(student_path(created["student_id"])), 200)
    assert fetched == created
    again = assert_json(second.client().post(
        STUDENTS, json={"first_name": "After", "last_name": "Restart", "grade": 8}), 201)
    assert again["id"] > created["id"] and again["student_id"] != created["student_id"]


def test_database_url_sqlite_path_wins_over_data_dir(start_server, tmp_path):
    db = tmp_path / "elsewhere" / "custom.db"
    db.parent.mkdir()
    srv = start_server(env={"DATABASE_URL": f"sqlite://{db}"})
    assert srv.client().post(STUDENTS, json={"first_name": "U", "last_name": "Rl",
                                             "grade": 2}).status_code == 201
    assert db.is_file(), "DATABASE_URL=sqlite:///path did not create the file at that path"
    assert not (srv.data_dir / "sre-playground.db").exists()
