"""GET /, health endpoints, /openapi.json, /docs, 404/405 and X-Request-ID."""
from __future__ import annotations

import datetime as dt
import re
import string
import uuid
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest

from checks import REQUEST_ID_RE, STUDENTS, assert_json, parse_rfc3339, student_path

VERSION_RE = re.compile(r"^\d+\.\d+\.\d+")


def test_root(api):
    body = assert_json(api.get("/"), 200)
    assert set(body) == {"app", "environment", "status", "version"}, body
    assert body["app"] == "sre-playground"
    assert body["environment"] == "development"
    assert body["status"] == "running"
    assert isinstance(body["version"], str) and VERSION_RE.match(body["version"]), body


def test_live(api):
    assert assert_json(api.get("/health/live"), 200) == {"status": "alive"}


def test_ready(api):
    assert assert_json(api.get("/health/ready"), 200) == {"status": "ready"}


def test_health(api):
    before = dt.datetime.now(dt.timezone.utc)
    body = assert_json(api.get("/health"), 200)
    after = dt.datetime.now(dt.timezone.utc)
    assert body["status"] in ("healthy", "degraded"), body
    assert body["status"] == "healthy", "fresh SQLite database should be healthy"
    stamp = parse_rfc3339(body["timestamp"])
    assert before - dt.timedelta(seconds=5) <= stamp <= after + dt.timedelta(seconds=5), stamp
    assert body["version"] == api.get("/").json()["version"]
    database = body["checks"]["database"]
    assert database["status"] == "healthy", database
    latency = database["latency_us"]
    assert isinstance(latency, int) and not isinstance(latency, bool), database
    assert 0 <= latency < 5_000_000, database


# ---------------------------------------------------------------------------------------------
# OpenAPI and docs

SPEC_ROUTES = {
    "/": {"get"},
    "/health/live": {"get"},
    "/health/ready": {"get"},
    "/health": {"get"},
    "/metrics": {"get"},
    "/openapi.json": {"get"},
    "/docs": {"get"},
    STUDENTS: {"get", "post"},
    STUDENTS + "/{student_id}": {"get", "put", "patch", "delete"},
}


def test_openapi_document(api):
    doc = assert_json(api.get("/openapi.json"), 200)
    assert doc.get("openapi") == "3.0.3", doc.get("openapi")
    assert isinstance(doc.get("info", {}).get("title"), str)
    assert isinstance(doc.get("info", {}).get("version"), str)
    paths = doc.get("paths")
    assert isinstance(paths, dict)
    missing = sorted(set(SPEC_ROUTES) - set(paths))
    assert not missing, f"routes missing from openapi paths: {missing}"
    for route, methods in SPEC_ROUTES.items():
        declared = {m for m in paths[route] if m in
                    {"get", "put", "post", "delete", "patch", "head", "options", "trace"}}
        assert methods <= declared, f"{route}: declares {sorted(declared)}, spec {sorted(methods)}"
        for method in methods:
            assert paths[route][method].get("responses"), f"{method} {route} has no responses"


class _AssetRefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.refs.append(value)


def test_docs_page_and_assets(api):
    response = api.get("/docs")
    assert response.status_code == 200, response.text[:300]
    assert response.headers.get("Content-Type", "").lower().startswith("text/html")
    html = response.text
    assert "<html" in html.lower()
    parser = _AssetRefs()
    parser.feed(html)
    base = api.url("/docs")
    external = [r for r in parser.refs
                if urlparse(r).scheme in ("http", "https") or r.startswith("//")]
    assert not external, f"/docs references the internet: {external}"
    assets = sorted({urlparse(urljoin(base, r)).path for r in parser.refs
                     if urlparse(urljoin(base, r)).path.startswith("/docs/assets/")})
    assert any(a.endswith(".js") for a in assets), f"no script under /docs/assets: {parser.refs}"
    assert any(a.endswith(".css") for a in assets), f"no stylesheet under /docs/assets: {parser.refs}"
    for asset in assets:
        asset_response = api.get(asset)
        assert asset_response.status_code == 200, f"{asset} -> {asset_response.status_code}"
        assert len(asset_response.content) > 0, f"{asset} is empty"
    # The page must point swagger-ui at our document (inline or in a referenced script).
    texts = [html] + [api.get(a).text for a in assets if a.endswith(".js") and "bundle" not in a]
    assert any("openapi.json" in t for t in texts), "docs page never mentions /openapi.json"


def test_docs_page_and_assets_headers(api):
    page = api.get("/docs")
    policy = page.headers["Content-Security-Policy"]
    # Swagger UI sets inline styles; no inline script, nothing from elsewhere, no framing.
    assert "default-src 'none'" in policy and "script-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "Cache-Control" not in page.headers, "the page is not cached: it names the assets"
    for asset, content_type in (("swagger-ui-bundle.js", "text/javascript"),
                                ("swagger-ui.css", "text/css"),
                                ("favicon-32x32.png", "image/png")):
        answer = api.get(f"/docs/assets/{asset}")
        assert answer.headers["Content-Type"] == content_type, asset
        assert answer.headers["Cache-Control"] == "public, max-age=3600", asset
        assert answer.headers["X-Content-Type-Options"] == "nosniff", asset
        assert "Content-Security-Policy" not in answer.headers, asset


def test_docs_page_itself_is_not_an_asset(api):
    assert api.get("/docs/assets/docs.html").status_code == 404


def test_docs_asset_missing_is_404(api):
    response = api.get("/docs/assets/does-not-exist-8d1f.js")
    assert response.status_code == 404


def test_docs_assets_path_traversal_is_refused(api):
    # Encoded so neither requests nor the URL normaliser collapses the dots.
    for path in ("/docs/assets/" + "..%2f" * 12 + "etc%2fpasswd",
                 "/docs/assets/" + "%2e%2e/" * 12 + "etc/passwd"):
        response = api.get(path)
        assert response.status_code in (400, 404), f"{path} -> {response.status_code}"
        assert "root:" not in response.text


def test_docs_asset_traversal_raw(server):
    with server.raw() as conn:
        conn.send(b"GET /docs/assets/" + b"../" * 12 + b"etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n")
        response = conn.read_response()
    assert response.status in (400, 404), response
    assert b"root:" not in response.body


# ---------------------------------------------------------------------------------------------
# 404 / 405


@pytest.mark.parametrize("path", ["/nope", "/api/v1", "/api/v1/students/STU-00000000/extra",
                                  "/api/v2/students", "/healthz"])
def test_unknown_route_is_404(api, path):
    body = assert_json(api.get(path), 404)
    assert body == {"detail": "Not Found"}


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_unknown_route_is_404_for_any_method(api, method):
    response = api.request(method, "/api/v1/teachers", json={"a": 1})
    assert assert_json(response, 404) == {"detail": "Not Found"}


def _allow(response) -> set[str]:
    return {m.strip().upper() for m in response.headers.get("Allow", "").split(",") if m.strip()}


def test_405_on_collection_with_allow(api):
    response = api.delete(STUDENTS)
    assert assert_json(response, 405) == {"detail": "Method Not Allowed"}
    assert _allow(response) == {"GET", "HEAD", "POST", "OPTIONS"}, response.headers.get("Allow")


def test_405_on_item_with_allow(api):
    response = api.post(student_path("STU-00000000"), json={})
    assert assert_json(response, 405) == {"detail": "Method Not Allowed"}
    allow = _allow(response)
    assert {"GET", "PUT", "PATCH", "DELETE"} <= allow, response.headers.get("Allow")
    assert "POST" not in allow


@pytest.mark.parametrize("method,path", [("POST", "/health/live"), ("DELETE", "/"),
                                         ("PUT", "/metrics"), ("POST", "/openapi.json")])
def test_405_on_read_only_endpoints(api, method, path):
    response = api.request(method, path)
    assert assert_json(response, 405) == {"detail": "Method Not Allowed"}
    allow = _allow(response)
    assert "GET" in allow and method not in allow, response.headers.get("Allow")


# ---------------------------------------------------------------------------------------------
# X-Request-ID


@pytest.mark.parametrize("value", ["abc", "e2e-" + uuid.uuid4().hex, "A.b_c-9", "x" * 128])
def test_request_id_is_echoed(api, value):
    response = api.get("/health/live", headers={"X-Request-ID": value})
    assert response.status_code == 200
    assert response.headers.get("X-Request-ID") == value


@pytest.mark.parametrize("path,method", [("/nope", "GET"), (STUDENTS, "DELETE"),
                                         (student_path("STU-00000000"), "GET")])
def test_request_id_echoed_on_errors(api, path, method):
    response = api.request(method, path, headers={"X-Request-ID": "err-id-1"})
    assert response.status_code >= 400
    assert response.headers.get("X-Request-ID") == "err-id-1"


def test_request_id_echoed_on_validation_error(api):
    response = api.post(STUDENTS, json={}, headers={"X-Request-ID": "err-id-422"})
    assert response.status_code == 422
    assert response.headers.get("X-Request-ID") == "err-id-422"


def test_request_id_generated_when_absent(api):
    ids = []
    for _ in range(3):
        response = api.get("/health/live")
        request_id = response.headers.get("X-Request-ID")
        assert request_id and REQUEST_ID_RE.match(request_id), request_id
        ids.append(request_id)
    assert len(set(ids)) == 3, f"generated ids repeat: {ids}"


@pytest.mark.parametrize("value", ["x" * 129, "x" * 500, "has space", "semi;colon", "a/b",
                                   "<script>", "quote\"d", "ümlaut"])
def test_hostile_request_id_is_replaced(server, value):
    # Raw socket: requests refuses some of these values, the server must not trust them either.
    with server.raw() as conn:
        conn.send(f"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Request-ID: {value}\r\n\r\n"
                  .encode("utf-8"))
        response = conn.read_response()
    assert response.status == 200, response
    request_id = response.header("X-Request-ID")
    assert request_id and request_id != value, request_id
    assert REQUEST_ID_RE.match(request_id), request_id


def test_request_id_character_set_is_exactly_the_readmes(server):
    """README: a sane id is 1..128 of `[A-Za-z0-9._-]`. Every printable ASCII character is
    tried alone inside an id: those of the set are echoed, every other one is replaced, so a
    widened (or narrowed) set fails here, not only an overlong id."""
    allowed = set(string.ascii_letters + string.digits + "._-")
    wrong = []
    with server.raw() as conn:
        for char in map(chr, range(0x21, 0x7F)):
            value = f"id{char}x"
            conn.send(f"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Request-ID: {value}\r\n\r\n"
                      .encode())
            response = conn.read_response()
            assert response.status == 200, (char, response)
            echoed = response.header("X-Request-ID") == value
            if echoed != (char in allowed):
                wrong.append(char)
    assert not wrong, f"characters treated against the README's set: {wrong}"


def test_request_id_with_embedded_newline_is_not_reflected(server):
    # A bare LF inside the value: either the server rejects the request (400) or it treats the
    # rest as a separate line; it must never echo the injected header back.
    with server.raw() as conn:
        conn.send(b"GET /health/live HTTP/1.1\r\nHost: x\r\n"
                  b"X-Request-ID: abc\nInjected: yes\r\n\r\n")
        response = conn.read_response()
    assert response.status in (200, 400), response
    assert response.header("Injected") is None
    request_id = response.header("X-Request-ID")
    assert request_id and REQUEST_ID_RE.match(request_id), request_id
    assert "\n" not in request_id and "Injected" not in request_id


def test_empty_request_id_is_replaced(server):
    with server.raw() as conn:
        conn.send(b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Request-ID: \r\n\r\n")
        response = conn.read_response()
    assert response.status == 200
    request_id = response.header("X-Request-ID")
    assert request_id and REQUEST_ID_RE.match(request_id), request_id
