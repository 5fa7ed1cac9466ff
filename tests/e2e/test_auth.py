"""Authentication and roles: tokens from the `token` command and POST /auth/token, each role
against the routes, the admin routes closed to anonymous clients in every environment, the
cross-site guard, the production start refusal, logins off the I/O threads, and secrets kept
out of every output."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import statistics
import subprocess
import threading
import time

import pytest
import requests

import harness
from checks import STUDENTS

CHAOS = "/api/v1/admin/chaos"
RESET = "/api/v1/admin/circuit-breakers/grade-service/reset"
SECRET = "e2e-jwt-secret-0123456789-abcdefghij-KLMNOP"  # 43 bytes
PRODUCTION = {"ENVIRONMENT": "production", "JWT_SECRET": SECRET}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header: dict, payload: dict, key: bytes | None) -> str:
    """A token with any header and payload, HMAC-signed with `key` (no signature: None)."""
    signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(payload).encode())
    signature = b"" if key is None else hmac.new(key, signing_input.encode(),
                                                 hashlib.sha256).digest()
    return signing_input + "." + b64(signature)


def claims_now(role="admin", sub="mallory"):
    now = int(time.time())
    return {"sub": sub, "role": role, "iat": now, "exp": now + 600, "iss": "sre-playground",
            "jti": "x"}


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def add_user(server_env: dict, workdir, name: str, role: str, password: str) -> None:
    result = subprocess.run([str(harness.sre_binary()), "user", "add", name, "--role", role],
                            input=password + "\n", env=harness.clean_environment(server_env),
                            cwd=workdir, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


def refused_401(response):
    assert response.status_code == 401, response.text
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


@pytest.mark.parametrize("env", [{}, {"ENVIRONMENT": "staging"}, PRODUCTION,
                                 {"AUTH_REQUIRED": "false", **PRODUCTION}],
                         ids=["development", "staging", "production", "production-no-auth"])
def test_admin_routes_need_an_admin_token_in_every_environment(start_server, env):
    server = start_server(env=env)
    for method, path in (("GET", CHAOS), ("PUT", CHAOS), ("POST", RESET),
                         ("GET", "/api/v1/admin/circuit-breakers")):
        refused_401(requests.request(method, server.url(path), json={"rules": []}, timeout=5))
        for role in ("reader", "staff"):
            response = requests.request(method, server.url(path), json={"rules": []}, timeout=5,
                                        headers=bearer(server.token(role=role)))
            assert response.status_code == 403, (role, method, path, response.text)
    admin = server.admin_client()
    assert admin.put(CHAOS, json={"rules": []}).status_code == 200
    assert admin.post(RESET).status_code == 200
    admin.close()


def test_development_keeps_the_anonymous_demo_but_checks_tokens_sent(start_server):
    server = start_server()
    assert requests.get(server.url(STUDENTS), timeout=5).status_code == 200
    created = requests.post(server.url(STUDENTS), timeout=5,
                            json={"first_name": "Ada", "last_name": "L", "grade": 7})
    assert created.status_code == 201
    # A bad token is refused even where none is needed: it is never silently ignored.
    refused_401(requests.get(server.url(STUDENTS), headers=bearer("not.a.token"), timeout=5))


def test_each_role_against_the_student_routes(start_server):
    server = start_server(env={"AUTH_REQUIRED": "true"})
    reader, staff, admin = (server.client(token=server.token(role=r, sub=r))
                            for r in ("reader", "staff", "admin"))
    body = {"first_name": "Ada", "last_name": "Lovelace", "grade": 7}
    refused_401(requests.get(server.url(STUDENTS), timeout=5))
    refused_401(requests.post(server.url(STUDENTS), json=body, timeout=5))
    assert requests.get(server.url("/health/ready"), timeout=5).status_code == 200
    assert requests.get(server.url("/metrics"), timeout=5).status_code == 200

    assert reader.get(STUDENTS).status_code == 200
    assert reader.post(STUDENTS, json=body).status_code == 403
    created = staff.post(STUDENTS, json=body)
    assert created.status_code == 201
    item = f"{STUDENTS}/{created.json()['student_id']}"
    assert reader.get(item).status_code == 200
    assert reader.patch(item, json={"grade": 8}).status_code == 403
    assert staff.patch(item, json={"grade": 8}).status_code == 200
    assert staff.delete(item).status_code == 403
    assert admin.delete(item).status_code == 204
    metrics = requests.get(server.url("/metrics"), timeout=5).text
    assert harness.metric_value(metrics, "auth_failures_total", {"reason": "forbidden"}) == 3
    assert harness.metric_value(metrics, "auth_failures_total", {"reason": "missing"}) == 2
    for client in (reader, staff, admin):
        client.close()


def test_the_audit_actor_is_the_token_subject(start_server):
    server = start_server(env={"AUTH_REQUIRED": "true"})
    ada, grace, root = (server.client(token=server.token(role=role, sub=sub))
                        for role, sub in (("staff", "ada"), ("staff", "grace"), ("admin", "root")))
    created = ada.post(STUDENTS, json={"first_name": "Alan", "last_name": "Turing", "grade": 9})
    assert created.status_code == 201, created.text
    item = f"{STUDENTS}/{created.json()['student_id']}"
    assert grace.patch(item, json={"grade": 10}).status_code == 200
    assert root.delete(item).status_code == 204
    audit = ada.get(item + "/audit")
    assert audit.status_code == 200, audit.text
    records = audit.json()["records"]
    assert [(r["action"], r["actor"]) for r in records] == [
        ("delete", "root"), ("update", "grace"), ("create", "ada")]
    for client in (ada, grace, root):
        client.close()


def test_rate_limits_key_on_the_token_subject(start_server):
    server = start_server(env={"AUTH_REQUIRED": "true", "RATE_LIMIT_ENABLED": "true",
                               "TRUSTED_PROXIES": "127.0.0.1",
                               "RATE_LIMITS": f"GET {STUDENTS} 1/h burst 3"})
    ada, grace = (bearer(server.token(role="reader", sub=sub)) for sub in ("ada", "grace"))

    def get(token, address):
        return requests.get(server.url(STUDENTS), timeout=5,
                            headers={**token, "X-Forwarded-For": address}).status_code

    # One subject from three addresses shares one bucket...
    assert [get(ada, f"10.0.0.{i}") for i in range(4)] == [200, 200, 200, 429]
    # ...and another subject from the same address has its own.
    assert get(grace, "10.0.0.0") == 200


def test_expired_and_forged_tokens_are_401(start_server):
    server = start_server(env={"AUTH_REQUIRED": "true", "JWT_SECRET": SECRET,
                               "JWT_LEEWAY_SECONDS": "0"})
    url = server.url(STUDENTS)
    good = server.token(role="admin")
    assert requests.get(url, headers=bearer(good), timeout=5).status_code == 200

    expired = server.token(role="admin", ttl="1s")
    time.sleep(2.1)
    other_key = harness.mint_token({"JWT_SECRET": "another secret, thirty-two bytes long"})
    header, payload, signature = good.split(".")
    tampered = json.loads(base64.urlsafe_b64decode(payload + "=="))
    tampered["sub"] = "mallory"
    forged = {
        "expired": expired,
        "wrong key": other_key,
        "alg none": forge({"alg": "none", "typ": "JWT"}, claims_now(), None),
        "tampered payload": header + "." + b64(json.dumps(tampered).encode()) + "." + signature,
        "unknown kid": forge({"alg": "HS256", "kid": "old"}, claims_now(), SECRET.encode()),
        "other issuer": forge({"alg": "HS256"}, {**claims_now(), "iss": "x"}, SECRET.encode()),
        "garbage": "abc",
    }
    for name, token in forged.items():
        response = requests.get(url, headers=bearer(token), timeout=5)
        assert response.status_code == 401, name
        assert token not in response.text
    # The control: a token made the same way with the right key passes.
    assert requests.get(url, headers=bearer(forge({"alg": "HS256"}, claims_now(),
                                                  SECRET.encode())), timeout=5).status_code == 200
    metrics = requests.get(server.url("/metrics"), timeout=5).text
    for reason in ("expired", "bad_signature", "algorithm_refused", "unknown_key",
                   "wrong_issuer", "malformed"):
        assert harness.metric_value(metrics, "auth_failures_total", {"reason": reason}) >= 1, reason


def test_rs256_with_key_files(start_server, tmp_path):
    private = tmp_path / "jwt.key"
    public = tmp_path / "jwt.pub"
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-out", str(private)], check=True, capture_output=True, timeout=60)
    subprocess.run(["openssl", "pkey", "-in", str(private), "-pubout", "-out", str(public)],
                   check=True, capture_output=True, timeout=30)
    server = start_server(env={"AUTH_REQUIRED": "true", "JWT_ALGORITHM": "RS256",
                               "JWT_PRIVATE_KEY_FILE": str(private),
                               "JWT_PUBLIC_KEY_FILE": str(public)})
    url = server.url(STUDENTS)
    assert requests.get(url, headers=bearer(server.token(role="reader")),
                        timeout=5).status_code == 200
    # HS256 "signed" with the public key, which anyone may have: the confusion attack.
    confused = forge({"alg": "HS256"}, claims_now(), public.read_bytes())
    refused_401(requests.get(url, headers=bearer(confused), timeout=5))


def test_login_issues_tokens_and_refuses_in_the_same_time(start_server, tmp_path):
    users = tmp_path / "users"
    env = {"USERS_FILE": str(users), "AUTH_REQUIRED": "true", "JWT_TTL_SECONDS": "900"}
    add_user(env, tmp_path, "ada", "staff", "correct horse battery")
    assert users.stat().st_mode & 0o077 == 0, "the users file must not be readable by others"
    assert "correct horse" not in users.read_text()
    server = start_server(env=env)
    url = server.url("/auth/token")

    form = requests.post(url, data={"username": "ada", "password": "correct horse battery"},
                         timeout=10)
    assert form.status_code == 200, form.text
    body = form.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 900
    assert form.headers["Cache-Control"] == "no-store"
    staff = bearer(body["access_token"])
    created = requests.post(server.url(STUDENTS), headers=staff, timeout=5,
                            json={"first_name": "Ada", "last_name": "L", "grade": 7})
    assert created.status_code == 201
    as_json = requests.post(url, json={"username": "ada", "password": "correct horse battery"},
                            timeout=10)
    assert as_json.status_code == 200

    def attempt(name, password):
        started = time.perf_counter()
        response = requests.post(url, data={"username": name, "password": password}, timeout=10)
        assert response.status_code == 401, response.text
        assert response.json() == {"detail": "Incorrect username or password"}
        return time.perf_counter() - started

    wrong_password = statistics.median(attempt("ada", "wrong") for _ in range(3))
    unknown_user = statistics.median(attempt("nobody", "wrong") for _ in range(3))
    # Both pay one argon2id check: an unknown name must not answer measurably faster.
    assert unknown_user > 0.5 * wrong_password, (unknown_user, wrong_password)
    assert requests.post(url, data={"username": "ada"}, timeout=5).status_code == 422
    metrics = requests.get(server.url("/metrics"), timeout=5).text
    assert harness.metric_value(metrics, "auth_logins_total", {"outcome": "refused"}) == 6
    assert harness.metric_value(metrics, "auth_logins_total", {"outcome": "accepted"}) == 2
    server.wait_for_log(lambda r: r.get("msg") == "login refused" and r.get("username") == "nobody")


def test_login_is_rate_limited_by_the_existing_rule(start_server, tmp_path):
    server = start_server(env={"RATE_LIMIT_ENABLED": "true", "USERS_FILE": str(tmp_path / "u")})
    statuses = [requests.post(server.url("/auth/token"), timeout=10,
                              data={"username": "x", "password": "y"}).status_code
                for _ in range(6)]
    assert statuses == [401] * 5 + [429]


def test_login_is_rate_limited_per_user_name_from_any_address(start_server, tmp_path):
    server = start_server(env={"RATE_LIMIT_ENABLED": "true", "TRUSTED_PROXIES": "127.0.0.1",
                               "USERS_FILE": str(tmp_path / "u")})

    def attempt(name, address):
        return requests.post(server.url("/auth/token"), timeout=10,
                             headers={"X-Forwarded-For": address},
                             data={"username": name, "password": "guess"}).status_code

    # Each try from a new address: the per-client rule never bites, the per-name one does.
    statuses = [attempt("ada", f"10.0.0.{i}") for i in range(6)]
    assert statuses == [401] * 5 + [429]
    assert attempt("bob", "10.0.0.99") == 401
    metrics = requests.get(server.url("/metrics"), timeout=5).text
    assert harness.metric_value(metrics, "auth_logins_total", {"outcome": "limited"}) == 1


@pytest.mark.slow
def test_a_login_storm_sheds_and_never_stalls_other_requests(start_server, tmp_path):
    env = {"USERS_FILE": str(tmp_path / "users"), "LOGIN_THREADS": "1", "LOGIN_QUEUE": "2",
           "WORKER_THREADS": "1", "ACCESS_LOG_SAMPLE_RATE": "0"}
    add_user(env, tmp_path, "ada", "reader", "correct horse battery")
    server = start_server(env=env)
    login, live = server.url("/auth/token"), server.url("/health/live")

    def timed_login(session):
        started = time.perf_counter()
        status = session.post(login, timeout=10,
                              data={"username": "ada", "password": "wrong"}).status_code
        return status, time.perf_counter() - started

    # What one argon2id check costs on this machine now, the yardstick of a stall: the bound
    # below is a fraction of it, not a time, so a slow or busy machine moves both together.
    with requests.Session() as session:
        one_check = statistics.median(timed_login(session)[1] for _ in range(5))

    def probe_latencies(seconds):
        latencies = []
        with requests.Session() as session:
            stop_at = time.monotonic() + seconds
            while time.monotonic() < stop_at:
                started = time.perf_counter()
                assert session.get(live, timeout=10).status_code == 200
                latencies.append(time.perf_counter() - started)
                time.sleep(0.005)
        return latencies

    statuses = []
    lock = threading.Lock()
    stop = threading.Event()

    def storm():
        with requests.Session() as session:
            while not stop.is_set():
                status, _ = timed_login(session)
                with lock:
                    statuses.append(status)

    attackers = [threading.Thread(target=storm) for _ in range(8)]
    for thread in attackers:
        thread.start()
    try:
        time.sleep(0.3)
        stormy = probe_latencies(2.0)
    finally:
        stop.set()
        for thread in attackers:
            thread.join()
    assert set(statuses) <= {401, 503} and 503 in statuses and 401 in statuses
    # With one I/O thread, a check run on it would hold every probe behind it (and behind the
    # checks queued before the probe): the typical probe would wait a check or more. Off the
    # I/O thread the typical probe waits for none. (The median, not the tail: the tail is the
    # machine's scheduling, shared by this process's nine client threads.)
    assert statistics.median(stormy) < one_check / 2, (statistics.median(stormy), one_check)
    metrics = requests.get(server.url("/metrics"), timeout=5).text
    assert harness.metric_value(metrics, "auth_logins_total", {"outcome": "busy"}) >= 1


def test_cross_site_requests_to_admin_routes_are_refused(start_server, tmp_path):
    server = start_server()
    admin = bearer(server.token())
    # The CSRF shape: a form post from another origin (a browser adds no Authorization).
    form = requests.post(server.url(RESET), data={"x": "1"}, timeout=5,
                         headers={"Origin": "http://evil.example"})
    assert form.status_code == 403
    # Even with an admin token, a foreign Origin or a body a form can send is refused.
    assert requests.post(server.url(RESET), timeout=5,
                         headers={**admin, "Origin": "http://evil.example"}).status_code == 403
    for content_type in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                         "text/plain"):
        response = requests.post(server.url(RESET), data=b"x=1", timeout=5,
                                 headers={**admin, "Content-Type": content_type})
        assert response.status_code == 415, content_type
    same_origin = requests.post(server.url(RESET), timeout=5,
                                headers={**admin, "Origin": server.base_url.replace(
                                    "127.0.0.1", "127.0.0.1")})
    assert same_origin.status_code == 200
    metrics = requests.get(server.url("/metrics"), timeout=5).text
    assert harness.metric_value(metrics, "admin_requests_refused_total",
                                {"reason": "foreign_origin"}) == 2
    assert harness.metric_value(metrics, "admin_requests_refused_total",
                                {"reason": "not_json"}) == 3

    grade_service = harness.start_grade_service(tmp_path / "grades")
    try:
        faults = grade_service.url("/admin/faults")
        assert requests.put(faults, json={"error_rate": 1}, timeout=5,
                            headers={"Origin": "http://evil.example"}).status_code == 403
        assert requests.put(faults, data="error_rate=1", timeout=5, headers={
            "Content-Type": "application/x-www-form-urlencoded"}).status_code == 415
        assert requests.get(faults, timeout=5).json()["error_rate"] == 0.0
        assert grade_service.host == "127.0.0.1"
    finally:
        grade_service.stop()


@pytest.mark.parametrize("secret,reason", [
    (None, "JWT_SECRET is not set"),
    ("changeme", "well-known default"),
    ("sre-playground-development-secret-anyone-can-read-this", "well-known default"),
    ("short-but-not-a-known-one", "shorter than 32 bytes"),
])
def test_production_refuses_to_start_without_a_real_secret(sre_binary, tmp_path, secret, reason):
    env = {"HOST": harness.LOOPBACK, "PORT": str(harness.free_port()),
           "DATA_DIR": str(tmp_path / "data"), "ENVIRONMENT": "production"}
    if secret is not None:
        env["JWT_SECRET"] = secret
    result = subprocess.run([str(sre_binary), "serve"], env=harness.clean_environment(env),
                            cwd=tmp_path, capture_output=True, text=True, timeout=20,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and reason in result.stderr, result.stderr
    if secret is not None:
        assert secret not in result.stderr


@pytest.mark.parametrize("command", [["serve"], ["worker"], ["token", "--sub", "a", "--role", "admin"]])
def test_a_secret_on_the_command_line_is_refused(sre_binary, tmp_path, command):
    # Every user of the host reads a process's command line (ps): secrets come from the
    # environment or a file only.
    env = {"HOST": harness.LOOPBACK, "PORT": str(harness.free_port()),
           "DATA_DIR": str(tmp_path / "data")}
    flag = ["--database-url", f"postgresql://app:{SECRET}@127.0.0.1/db"] \
        if command[0] == "worker" else ["--jwt-secret", SECRET]
    result = subprocess.run([str(sre_binary), *command, *flag], env=harness.clean_environment(env),
                            cwd=tmp_path, capture_output=True, text=True, timeout=20,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "command line" in result.stderr, result.stderr
    assert SECRET not in result.stderr


def test_secrets_never_appear_in_any_output(start_server, sre_binary, tmp_path):
    db_password = "pg-Pa55word-e2e-XYZZY"
    redis_password = "redis-Pa55word-e2e-PLUGH"
    login_password = "login-Pa55word-e2e-FROBOZZ"
    aws_secret = "aws-Secret-Key-e2e-GRUE"
    aws_session = "aws-Session-Token-e2e-ZORKMID"
    secret_file = tmp_path / "jwt_secret"
    secret_file.write_text(SECRET + "\n")
    aws_secret_file = tmp_path / "aws_secret"
    aws_secret_file.write_text(aws_secret + "\n")
    users = tmp_path / "users"
    env = {"JWT_SECRET_FILE": str(secret_file), "USERS_FILE": str(users),
           # Neither dependency is up: their errors get logged too.
           "DATABASE_URL": f"postgresql://app:{db_password}@127.0.0.1:{harness.free_port()}/db",
           "REDIS_URL": f"redis://:{redis_password}@127.0.0.1:{harness.free_port()}/0",
           "DB_CONNECT_TIMEOUT_MS": "200", "REDIS_TIMEOUT_MS": "100",
           "RATE_LIMIT_ENABLED": "true",
           # The relay's SQS and DynamoDB do not answer either, so its failures get logged.
           **harness.aws_env(f"http://127.0.0.1:{harness.free_port()}"),
           "AWS_SECRET_ACCESS_KEY_FILE": str(aws_secret_file),
           "AWS_SESSION_TOKEN": aws_session, "AWS_TIMEOUT_MS": "200"}
    add_user(env, tmp_path, "ada", "admin", login_password)
    secrets = [SECRET, db_password, redis_password, login_password, aws_secret, aws_session]
    outputs = {}

    help_text = subprocess.run([str(sre_binary), "serve", "--help"], capture_output=True,
                               text=True, env=harness.clean_environment(env), timeout=20)
    outputs["--help"] = help_text.stdout + help_text.stderr

    server = start_server(env=env, wait_ready=False)
    server.process.wait_for_url(server.url("/health/live"), timeout=20)
    token = server.token()  # signed with the secret from JWT_SECRET_FILE
    login = requests.post(server.url("/auth/token"), timeout=10,
                          data={"username": "ada", "password": login_password})
    assert login.status_code == 200, login.text
    session = requests.Session()
    calls = [("GET", "/"), ("GET", "/health"), ("GET", "/health/ready"), ("GET", STUDENTS),
             ("POST", STUDENTS), ("GET", STUDENTS + "/STU-1"), ("GET", "/metrics"),
             ("GET", "/api/v1/admin/circuit-breakers"), ("GET", CHAOS), ("GET", "/nope"),
             ("POST", "/auth/token")]
    for method, path in calls:
        for headers in ({}, bearer(token), bearer(token + "x")):
            response = session.request(method, server.url(path), headers=headers, timeout=10,
                                       json={"username": "ada", "password": "wrong"})
            outputs[f"{method} {path}"] = (str(response.status_code) + str(response.headers)
                                           + response.text)
    wrong = requests.post(server.url("/auth/token"), timeout=10,
                          data={"username": "ada", "password": login_password + "!"})
    outputs["wrong login"] = wrong.text + str(wrong.headers)
    time.sleep(0.5)  # let the failing dependencies log
    server.stop()
    outputs["logs"] = server.process.log_text()
    assert '"jwt_secret":"***"' in outputs["logs"], "the start-up line says the secret is set"
    for name, text in outputs.items():
        for secret in secrets:
            assert secret not in text, f"a secret appears in {name}"
