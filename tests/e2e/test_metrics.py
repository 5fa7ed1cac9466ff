"""GET /metrics: Prometheus text format, the named families, route templates as labels."""
from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

import harness
from checks import STUDENTS, student_path

PROMTOOL = Path("/usr/bin/promtool")

SAMPLE_RE = re.compile(
    r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?P<labels>.*)\})?\s+(?P<value>\S+)(\s+\d+)?$")
LABEL_RE = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text: str):
    """(types: {family: type}, samples: [(name, {label: value}, float)])"""
    types, samples = {}, []
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith("# TYPE "):
            _, _, family, kind = line.split(None, 3)
            types[family] = kind.strip()
            continue
        if line.startswith("#"):
            continue
        match = SAMPLE_RE.match(line)
        assert match, f"unparseable metrics line: {line!r}"
        labels = dict(LABEL_RE.findall(match.group("labels") or ""))
        samples.append((match.group("name"), labels, float(match.group("value"))))
    return types, samples


def scrape(api):
    response = api.get("/metrics")
    assert response.status_code == 200, response.text[:300]
    return response


def value_of(samples, name, default=None, **labels) -> float:
    """Sum of the samples of `name` whose labels include `labels`. No such sample fails the
    test (a renamed or dropped series must not read as 0) unless a `default` is given."""
    matching = [v for n, l, v in samples
                if n == name and all(l.get(k) == str(val) for k, val in labels.items())]
    if not matching and default is None:
        raise harness.MissingSeries(f"no sample of {name}{labels or ''}")
    return sum(matching) if matching else default


def test_content_type(api):
    content_type = scrape(api).headers.get("Content-Type", "")
    assert content_type.startswith("text/plain"), content_type
    assert "version=0.0.4" in content_type, content_type


def test_every_named_family_is_present(api):
    api.get("/")  # at least one request counted before the scrape
    types, samples = parse_metrics(scrape(api).text)
    expected = {
        "http_requests_total": "counter",
        "http_request_duration_seconds": "histogram",
        "http_requests_in_flight": "gauge",
        "students_created_total": "counter",
        "sre_playground_build_info": ("gauge", "untyped"),
        "process_resident_memory_bytes": "gauge",
        "process_cpu_seconds_total": "counter",
        "process_open_fds": "gauge",
        "process_max_fds": "gauge",
        "process_start_time_seconds": "gauge",
    }
    # prometheus-cpp and the Go client name counter families with or without _total.
    def family_type(name):
        return types.get(name) or types.get(name.removesuffix("_total"))
    problems = {name: family_type(name) for name, kind in expected.items()
                if family_type(name) not in ((kind,) if isinstance(kind, str) else kind)}
    assert not problems, f"missing or mistyped families (name: declared type): {problems}"
    names = {n for n, _, _ in samples}
    for name in ("http_requests_total", "http_requests_in_flight", "students_created_total",
                 "sre_playground_build_info", "process_resident_memory_bytes",
                 "process_cpu_seconds_total", "process_open_fds", "process_max_fds",
                 "process_start_time_seconds", "http_request_duration_seconds_bucket",
                 "http_request_duration_seconds_sum", "http_request_duration_seconds_count"):
        assert name in names, f"no sample for {name}"
    for name, labels, _ in samples:
        if name == "http_requests_total":
            assert {"method", "route", "status"} <= set(labels), labels
        if name.startswith("http_request_duration_seconds"):
            assert {"method", "route"} <= set(labels), labels


def test_build_info_and_process_metrics(api, server):
    version = api.get("/").json()["version"]
    _, samples = parse_metrics(scrape(api).text)
    build = [(l, v) for n, l, v in samples if n == "sre_playground_build_info"]
    assert len(build) == 1, build
    assert build[0][0].get("version") == version and build[0][1] == 1.0, build
    start = value_of(samples, "process_start_time_seconds")
    assert time.time() - 3600 < start <= time.time() + 5, start
    assert value_of(samples, "process_resident_memory_bytes") > 1_000_000
    open_fds = value_of(samples, "process_open_fds")
    assert 3 <= open_fds <= value_of(samples, "process_max_fds")
    assert value_of(samples, "process_cpu_seconds_total") > 0  # starting alone takes 0.1 s+
    assert value_of(samples, "http_requests_in_flight") == 1  # the scrape itself


def test_route_label_is_template_not_raw_path(api, new_student):
    student = new_student()
    raw_path = student_path(student["student_id"])
    assert api.get(raw_path).status_code == 200
    assert api.get("/api/v1/students/STU-00000000").status_code == 404
    assert api.get("/no/such/route/e2e-unmatched-7f3a").status_code == 404
    text = scrape(api).text
    assert student["student_id"] not in text, "raw student id leaked into metrics labels"
    assert "STU-00000000" not in text
    assert "e2e-unmatched-7f3a" not in text, "raw unmatched path leaked into metrics labels"
    _, samples = parse_metrics(text)
    template = "/api/v1/students/{student_id}"
    assert value_of(samples, "http_requests_total", method="GET", route=template,
                    status="200") >= 1
    assert value_of(samples, "http_requests_total", method="GET", route=template,
                    status="404") >= 1
    assert value_of(samples, "http_requests_total", method="GET", route="unmatched",
                    status="404") >= 1
    assert value_of(samples, "http_request_duration_seconds_count", method="GET",
                    route=template) >= 2
    routes = {l.get("route") for n, l, _ in samples if n == "http_requests_total"}
    allowed = {"/", "/health", "/health/live", "/health/ready", "/metrics", "/openapi.json",
               "/docs", STUDENTS, template, "unmatched",
               # grades and admin (tests in the session server may call them)
               "/api/v1/students/{student_id}/grades", "/api/v1/admin/circuit-breakers",
               "/api/v1/admin/circuit-breakers/{name}/reset", "/api/v1/admin/chaos"}
    strange = {r for r in routes if r not in allowed and not r.startswith("/docs/assets")}
    assert not strange, f"route labels that are not templates: {strange}"


def test_counters_count_exactly(api):
    _, before = parse_metrics(scrape(api).text)
    for _ in range(3):
        assert api.get("/").status_code == 200
    for i in range(2):
        response = api.post(STUDENTS, json={"first_name": f"M{i}", "last_name": "C", "grade": 3})
        assert response.status_code == 201
    _, after = parse_metrics(scrape(api).text)

    def delta(name, **labels):
        # A series first created by these requests is absent before them.
        return value_of(after, name, **labels) - value_of(before, name, default=0.0, **labels)

    assert delta("http_requests_total", method="GET", route="/", status="200") == 3
    assert delta("http_requests_total", method="POST", route=STUDENTS, status="201") == 2
    assert delta("students_created_total") == 2
    assert delta("http_request_duration_seconds_count", method="GET", route="/") == 3


def test_histogram_is_cumulative(api):
    api.get("/health/live")
    _, samples = parse_metrics(scrape(api).text)
    series = {}
    for name, labels, value in samples:
        if name == "http_request_duration_seconds_bucket":
            key = tuple(sorted((k, v) for k, v in labels.items() if k != "le"))
            series.setdefault(key, []).append((float(labels["le"]), value))
    assert series
    counts = {tuple(sorted(l.items())): v for n, l, v in samples
              if n == "http_request_duration_seconds_count"}
    for key, buckets in series.items():
        buckets.sort()
        values = [v for _, v in buckets]
        assert values == sorted(values), f"{key}: buckets not cumulative {buckets}"
        assert buckets[-1][0] == float("inf"), f"{key}: no +Inf bucket"
        assert counts.get(key) == buckets[-1][1], f"{key}: _count != +Inf bucket"


@pytest.mark.skipif(not PROMTOOL.exists(), reason="promtool not installed")
def test_promtool_check_metrics(api, new_student):
    # Exercise a variety of series first so the check sees labels of every kind.
    student = new_student()
    api.get(student_path(student["student_id"]))
    api.get("/nope")
    api.delete(STUDENTS)
    api.post(STUDENTS, json={})
    text = scrape(api).text
    result = subprocess.run([str(PROMTOOL), "check", "metrics"], input=text.encode(),
                            capture_output=True, timeout=30)
    output = (result.stdout + result.stderr).decode(errors="replace")
    assert result.returncode == 0, f"promtool check metrics failed:\n{output}"
