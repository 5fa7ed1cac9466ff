"""CORS: off unless CORS_ORIGINS lists origins; then those origins' pages may call the API
(preflights answered before anything could refuse them), and no other origin's may."""
from __future__ import annotations

import pytest

from checks import STUDENTS
from test_config import run_serve

APP = "https://app.example.com"
LOCAL = "http://localhost:3000"
EVIL = "https://evil.example"
ACAO = "Access-Control-Allow-Origin"


def preflight(api, path, origin, method="POST", headers="content-type"):
    return api.request("OPTIONS", path, headers={"Origin": origin,
                                                 "Access-Control-Request-Method": method,
                                                 "Access-Control-Request-Headers": headers})


def test_off_unless_origins_are_listed(server, api):
    response = api.get(STUDENTS, headers={"Origin": APP})
    assert response.status_code == 200
    assert not [h for h in response.headers if h.lower().startswith("access-control-")]
    assert "Origin" not in response.headers.get("Vary", "")
    answer = preflight(api, STUDENTS, APP)
    assert answer.status_code == 204 and ACAO not in answer.headers, answer.headers
    assert answer.headers["Allow"] == "GET, HEAD, POST, OPTIONS"


def test_listed_origins_may_call_and_read_the_answer(start_server):
    api = start_server(env={"CORS_ORIGINS": f"{APP}, {LOCAL}"}).client()
    for origin in (APP, LOCAL):
        response = api.get(STUDENTS, headers={"Origin": origin})
        assert response.status_code == 200
        assert response.headers[ACAO] == origin
        assert response.headers["Vary"] == "Origin"
        exposed = response.headers["Access-Control-Expose-Headers"].split(", ")
        assert {"X-Request-ID", "Retry-After", "RateLimit", "Link"} <= set(exposed), exposed
        assert "Access-Control-Allow-Credentials" not in response.headers

    answer = preflight(api, STUDENTS, APP)
    assert answer.status_code == 204, answer
    assert answer.headers[ACAO] == APP
    assert answer.headers["Access-Control-Allow-Methods"] == "GET, HEAD, POST, OPTIONS"
    allowed = answer.headers["Access-Control-Allow-Headers"].lower().split(", ")
    assert {"content-type", "authorization", "idempotency-key"} <= set(allowed), allowed
    assert answer.headers["Access-Control-Max-Age"] == "600"
    assert answer.text == ""

    missing = api.get("/no/such/path", headers={"Origin": APP})
    assert missing.status_code == 404 and missing.headers[ACAO] == APP, "errors readable too"


def test_other_origins_get_no_grant(start_server):
    api = start_server(env={"CORS_ORIGINS": APP}).client()
    for origin in (EVIL, APP + ".evil.example", "null", APP.upper(), APP + "/"):
        response = api.get(STUDENTS, headers={"Origin": origin})
        assert response.status_code == 200, "served: only a browser withholds the answer"
        assert ACAO not in response.headers, (origin, response.headers)
        assert response.headers["Vary"] == "Origin"
        answer = preflight(api, STUDENTS, origin)
        assert answer.status_code == 204 and ACAO not in answer.headers, (origin, answer.headers)
        assert "Access-Control-Allow-Methods" not in answer.headers


def test_preflights_are_answered_before_limits_and_refusals_stay_readable(start_server):
    srv = start_server(env={"CORS_ORIGINS": APP, "RATE_LIMIT_ENABLED": "true",
                            "RATE_LIMITS": "* 1/h burst 1"})
    api = srv.client()
    statuses = [preflight(api, STUDENTS, APP).status_code for _ in range(3)]
    assert statuses == [204] * 3, "a preflight carries no credentials and spends no budget"
    assert api.get(STUDENTS, headers={"Origin": APP}).status_code == 200
    refused = api.get(STUDENTS, headers={"Origin": APP})
    assert refused.status_code == 429
    assert refused.headers[ACAO] == APP, "the page can read the 429 and its Retry-After"


def test_any_origin_with_a_star(start_server):
    api = start_server(env={"CORS_ORIGINS": "*"}).client()
    response = api.get(STUDENTS, headers={"Origin": EVIL})
    assert response.headers[ACAO] == "*"
    assert preflight(api, STUDENTS, EVIL).headers[ACAO] == "*"


@pytest.mark.parametrize("origins", ["app.example.com", "https://app.example.com/",
                                     "https://APP.example.com", "ftp://x", "https://a, "])
def test_invalid_origins_exit_2_with_one_line(sre_binary, tmp_path, origins):
    code, stdout, stderr = run_serve(sre_binary, tmp_path, {"CORS_ORIGINS": origins}, ())
    assert code == 2, f"exit {code}; stderr={stderr!r} stdout={stdout[-300:]!r}"
    message = stderr.strip()
    assert "\n" not in message and "CORS_ORIGINS" in message, message
