"""The /slo page in a real headless Chromium (Debian's `chromium`): it loads its script and uPlot
from this service under its strict Content-Security-Policy, shows the same figures as
GET /api/v1/slo, draws its charts, and the browser reports nothing on its console (a CSP
refusal, a failed fetch or a script error would all be console messages). The test saves a
screenshot of the page: to $SRE_SLO_SCREENSHOT when set (the README's docs/img/slo-page.png is
made that way), else into the test's temporary folder."""
from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

import harness
from checks import STUDENTS, assert_json

CHAOS = "/api/v1/admin/chaos"
CHROMIUM = shutil.which("chromium")


class PageFigures(HTMLParser):
    """The objectives table of the dumped DOM: {objective: {field: (text, data-value)}}, and the
    attributes of <body> and of every element with an id."""

    def __init__(self):
        super().__init__()
        self.rows: dict[str, dict[str, tuple[str, str]]] = {}
        self.body: dict[str, str] = {}
        self.ids: set[str] = set()
        self.canvases = 0
        self._row: str | None = None
        self._cell: tuple[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "body":
            self.body = attributes
        elif tag == "canvas":
            self.canvases += 1
        elif tag == "tr" and "data-objective" in attributes:
            self._row = attributes["data-objective"]
            self.rows[self._row] = {}
        elif tag == "td" and self._row and "data-field" in attributes:
            self._cell = (attributes["data-field"], attributes.get("data-value", ""))
            self._text = []

    def handle_data(self, data):
        if self._cell:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "td" and self._cell:
            field, value = self._cell
            self.rows[self._row][field] = ("".join(self._text), value)
            self._cell = None
        elif tag == "tr":
            self._row = None


def chromium(*args: str, profile: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    assert CHROMIUM, "chromium is not installed (scripts/bootstrap installs it)"
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-extensions", "--disable-background-networking", "--disable-sync",
         "--enable-logging=stderr", "--v=0", f"--user-data-dir={profile}",
         "--virtual-time-budget=8000", *args],
        capture_output=True, text=True, timeout=timeout, check=False)


def console_lines(stderr: str) -> list[str]:
    """What the page said on the browser's console (Chromium logs each message as CONSOLE)."""
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Refused to" in line]


def js_fixed(value: float, digits: int) -> str:
    """Number.prototype.toFixed: the exact binary value, ties away from zero."""
    return str(Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", header[16:24])


@pytest.fixture
def served(start_server):
    """An API with traffic to show: good requests, 404s and five injected 503s."""
    server = start_server()
    api, admin = server.client(), server.admin_client()
    for _ in range(60):
        assert api.get(STUDENTS).status_code == 200
    for i in range(5):
        api.get(f"/no/such/{i}")
    rule = {"route": STUDENTS, "error_rate": 1, "error_status": 503, "duration_seconds": 60}
    assert admin.put(CHAOS, json={"rules": [rule]}).status_code == 200
    for _ in range(5):
        assert api.get(STUDENTS).status_code == 503
    assert admin.put(CHAOS, json={"rules": []}).status_code == 200

    def folded():
        report = assert_json(api.get("/api/v1/slo"), 200)
        return report["objectives"][0]["events"]["total"] == 72
    harness.poll(folded, 10, what="the traffic folded into the objectives")
    yield server, api
    api.close()
    admin.close()


def test_the_page_shows_the_apis_figures_with_no_console_messages(served, tmp_path):
    server, api = served
    page = chromium("--dump-dom", server.url("/slo"), profile=tmp_path / "profile")
    assert page.returncode == 0, page.stderr[-2000:]
    assert console_lines(page.stderr) == [], "\n".join(console_lines(page.stderr))
    figures = PageFigures()
    figures.feed(page.stdout)
    assert figures.body.get("data-loaded") == "true", page.stdout[-2000:]
    report = assert_json(api.get("/api/v1/slo"), 200)  # the page's own requests count in no SLI

    assert list(figures.rows) == [o["name"] for o in report["objectives"]]
    for objective in report["objectives"]:
        shown = figures.rows[objective["name"]]
        name = objective["name"]
        assert shown["target"] == (js_fixed(objective["target"] * 100, 1) + "%",
                                   repr(objective["target"])), name
        if not objective["visible"]:
            text, _ = shown["not_visible"]
            assert objective["not_visible"] in text, (name, text)
            continue
        events = objective["events"]
        assert shown["events"][0] == f"{events['bad']} / {events['total']}", name
        expected = {
            "sli": (objective["sli"], lambda v: js_fixed(v * 100, 3) + "%"),
            "remaining_fraction": (objective["error_budget"]["remaining_fraction"],
                                   lambda v: js_fixed(v * 100, 1) + "%"),
            "remaining_minutes": (objective["error_budget"]["remaining_minutes"],
                                  lambda v: js_fixed(v, 1) + " min"),
            **{f"burn_{w}": (rate, lambda v: js_fixed(v, 2) + "x")
               for w, rate in objective["burn_rates"].items()},
        }
        for field, (value, written) in expected.items():
            text, raw = shown[field]
            if value is None:
                assert (text, raw) == ("–", "null"), (name, field)
            else:
                assert float(raw) == value, (name, field, raw, value)
                assert text == written(value), (name, field, text)

    # The figures are not trivially empty: the injected errors spent the whole budget.
    availability = figures.rows["api-availability"]
    assert availability["events"][0] == "5 / 72"
    assert availability["remaining_fraction"][0].startswith("-")
    # Seven charts: budget, a burn-rate chart per counted objective, and three by route.
    assert {"chart-budget", "chart-burn-api-availability", "chart-requests", "chart-errors",
            "chart-p99"} <= figures.ids
    assert figures.canvases == 7


def test_the_page_and_its_assets_are_local_and_under_a_strict_policy(served):
    server, api = served
    answer = api.get("/slo")
    assert answer.status_code == 200
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert not re.search(r"<script>|<style|\sstyle=|\son[a-z]+=", answer.text)  # nothing inline
    sources = re.findall(r'(?:src|href)="([^"]+)"', answer.text)
    # Nothing from elsewhere: paths on this service, or the empty inline icon.
    assert sources and all(s.startswith("/") or s == "data:," for s in sources), sources
    for asset in (s for s in sources if s.startswith("/slo/assets/")):
        loaded = api.get(asset)
        assert loaded.status_code == 200 and len(loaded.content) > 100, asset
    assert api.get("/slo/assets/slo.html").status_code == 404
    assert api.get("/slo/assets/nothing-here.js").status_code == 404


def test_a_screenshot_of_the_page(served, tmp_path):
    server, _ = served
    target = Path(os.environ.get("SRE_SLO_SCREENSHOT") or tmp_path / "slo-page.png")
    target.parent.mkdir(parents=True, exist_ok=True)
    shot = chromium(f"--screenshot={target}", "--window-size=1280,1800",
                    "--hide-scrollbars", server.url("/slo"), profile=tmp_path / "profile")
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert console_lines(shot.stderr) == [], "\n".join(console_lines(shot.stderr))
    assert png_size(target) == (1280, 1800)
    assert target.stat().st_size > 20_000  # charts and a table, not a blank page
