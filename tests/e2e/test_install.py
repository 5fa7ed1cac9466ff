"""The installed layout (`cmake --install`, `make install PREFIX=...`): bin/sre-playground finds
its page assets in share/sre-playground/web beside it, from any working directory, with WEB_DIR
unset; a binary still in its build tree finds the source tree's web/.
"""
from __future__ import annotations

import subprocess

import pytest

import harness

# The installed docs page gets this mark, so the test sees which copy of the page was served.
INSTALLED_MARK = "<!-- served from the installed share/sre-playground/web -->"


@pytest.fixture(scope="module")
def prefix(tmp_path_factory, sre_binary):
    prefix = tmp_path_factory.mktemp("prefix")
    subprocess.run(["cmake", "--install", str(sre_binary.parent), "--prefix", str(prefix)],
                   check=True, stdout=subprocess.DEVNULL)
    page = prefix / "share" / "sre-playground" / "web" / "docs.html"
    page.write_text(page.read_text() + INSTALLED_MARK + "\n")
    return prefix


def test_install_lays_out_the_binary_and_the_page_assets(prefix):
    web = prefix / "share" / "sre-playground" / "web"
    assert (prefix / "bin" / "sre-playground").is_file()
    for asset in ("docs.html", "docs-init.js", "node_modules/swagger-ui-dist/swagger-ui.css",
                  "node_modules/swagger-ui-dist/swagger-ui-bundle.js",
                  "node_modules/swagger-ui-dist/favicon-32x32.png"):
        assert (web / asset).is_file(), asset
    assert not (web / "package.json").exists(), "only what the pages load is installed"


def test_installed_binary_serves_docs_from_its_share_directory(prefix, tmp_path):
    # The server's cwd is a fresh directory with no web/ in it; WEB_DIR empty is WEB_DIR unset.
    server = harness.start_sre_playground(tmp_path / "installed", env={"WEB_DIR": ""},
                                          binary=prefix / "bin" / "sre-playground")
    try:
        page = server.client().get("/docs")
        assert page.status_code == 200, page.text
        assert INSTALLED_MARK in page.text
        for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "docs-init.js",
                      "favicon-32x32.png"):
            assert server.client().get(f"/docs/assets/{asset}").status_code == 200, asset
    finally:
        server.stop()


def test_build_tree_binary_serves_docs_from_the_source_tree(sre_binary, start_server):
    server = start_server(env={"WEB_DIR": ""})
    page = server.client().get("/docs")
    assert page.status_code == 200, page.text
    assert page.text == (harness.REPO_ROOT / "web" / "docs.html").read_text()


def test_pages_not_installed_answer_503_and_the_server_runs(start_server, tmp_path):
    empty = tmp_path / "no-web"
    empty.mkdir()
    server = start_server(env={"WEB_DIR": str(empty)})
    api = server.client()
    for page, title, asset in (("/docs", "API docs page", "docs-init.js"),
                               ("/slo", "SLO page", "slo.js")):
        answer = api.get(page)
        assert answer.status_code == 503, (page, answer.text)
        assert answer.json() == {"detail": f"{title} is not installed"}
        assert api.get(f"{page}/assets/{asset}").status_code == 404
        # The start-up log says which file was missing and what to run.
        server.wait_for_log(lambda r, title=title: r.get("level") == "warn"
                            and r.get("msg", "").startswith(f"{title} missing")
                            and "make build" in r["msg"]
                            and r.get("path", "").startswith(str(empty)))
    assert api.get("/health/ready").status_code == 200
