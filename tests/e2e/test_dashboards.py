"""The Grafana dashboards (monitoring/grafana/dashboards/), proven on real data, and the metric
hygiene of every process.

Grafana is not run here. Instead:
- Static: every dashboard parses, its panel ids are unique, every panel has a title, a
  description (what it shows, what to do when it looks bad), a unit and reads the `datasource`
  variable.
- On real data: a real Prometheus (1 s scrapes) scrapes a real API (PostgreSQL, Redis, the
  outbox relay to a real moto_server's SQS and DynamoDB, the grade service URL on a dead port so
  its breaker opens, a rate limit one route exceeds, a chaos rule answering 503), a real worker
  consuming the SQS queue and a real grade service, under some load. Then every query of every
  panel of the overview and dependencies dashboards, with Grafana's variables substituted as
  Grafana would (`$job`/`$instance` from the variables' own label_values queries), is valid
  and returns at least one number. Every metric a dashboard names is exported by one of the
  processes (or recorded by a rule), so renaming a metric fails here.
- Hygiene: `promtool check metrics` passes on /metrics of the API, the worker and the grade
  service; 1,000 different student ids and 1,000 unknown paths add no series to the API's.
(The SLO dashboard's queries run on real data in test_slo.py.)
"""
from __future__ import annotations

import concurrent.futures
import json
import math
import re
import subprocess
from contextlib import closing

import pytest
import requests

import harness
from test_prometheus import (PROMTOOL, RULE_FILES, query, start_prometheus,
                             wait_for)

DASHBOARDS = harness.REPO_ROOT / "monitoring" / "grafana" / "dashboards"
EVALUATED = ("overview.json", "dependencies.json")
API_JOB, WORKER_JOB, GRADES_JOB = "sre-playground", "sre-playground-worker", "grade-service"
# Series Prometheus makes itself rather than scraping them.
PROMETHEUS_MADE = {"up", "ALERTS"}
# What Grafana's $__rate_interval becomes here: 1 s scrapes, and the load is within a minute.
RATE_INTERVAL = "1m"
STUDENTS = "/api/v1/students"
LIST_BURST = 3  # list requests admitted per hour (RATE_LIMITS below): the fourth gets a 429


def load_dashboards() -> dict[str, dict]:
    return {path.name: json.loads(path.read_text()) for path in sorted(DASHBOARDS.glob("*.json"))}


def panels_of(dashboard: dict) -> list[dict]:
    """Every panel, rows' collapsed panels included."""
    found = []
    for panel in dashboard["panels"]:
        found.append(panel)
        found += panel.get("panels", [])
    return found


def queries_of(dashboard: dict) -> list[tuple[str, str]]:
    """(where, PromQL) of every panel target and annotation."""
    found = [(f"panel {panel['title']!r} {target['refId']}", target["expr"])
             for panel in panels_of(dashboard) for target in panel.get("targets", [])]
    found += [(f"annotation {a['name']!r}", a["expr"])
              for a in dashboard["annotations"]["list"] if "expr" in a]
    return found


# PromQL words that look like metric names.
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or",
            "unless", "bool", "offset", "inf", "nan"}


def metric_names(expr: str) -> set[str]:
    """The metric names an expression reads: identifiers that are not functions, keywords,
    labels (in matchers or grouping clauses) or strings."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    text = re.sub(r"\{[^}]*\}", "", text)      # label matchers
    text = re.sub(r"\[[^\]]*\]", "", text)     # range selectors
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)
    names = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        following = text[match.end():].lstrip()
        if following.startswith("(") or match.group().lower() in KEYWORDS:
            continue
        names.add(match.group())
    return names


# --------------------------------------------------------------------------------------------
# Static


def test_every_dashboard_is_well_formed():
    dashboards = load_dashboards()
    assert set(EVALUATED) | {"slo.json"} <= set(dashboards), sorted(dashboards)
    uids = [dashboard["uid"] for dashboard in dashboards.values()]
    assert len(uids) == len(set(uids)), uids
    for name, dashboard in dashboards.items():
        variables = {v["name"]: v for v in dashboard["templating"]["list"]}
        assert variables["datasource"]["type"] == "datasource", name
        assert variables["datasource"]["query"] == "prometheus", name
        panels = panels_of(dashboard)
        ids = [panel["id"] for panel in panels]
        assert len(ids) == len(set(ids)), f"{name}: panel ids repeat: {ids}"
        for panel in panels:
            if panel["type"] == "row":
                continue
            where = f"{name}: panel {panel.get('id')} {panel.get('title')!r}"
            assert panel.get("title"), where
            assert len(panel.get("description", "")) >= 40, f"{where}: no real description"
            assert panel["fieldConfig"]["defaults"].get("unit"), f"{where}: no unit"
            assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, where
            targets = panel.get("targets", [])
            assert targets, f"{where}: no query"
            refs = [target["refId"] for target in targets]
            assert len(refs) == len(set(refs)), where
            for target in targets:
                assert target["expr"].strip(), where
                assert target["datasource"] == panel["datasource"], where
        # every variable a query uses is defined (Grafana's own start with __)
        for where, expr in queries_of(dashboard):
            used = set(re.findall(r"\$\{?(\w+)", expr))
            assert {v for v in used if not v.startswith("__")} <= set(variables), (name, where)


def test_metric_names_are_read_from_expressions():
    assert metric_names(
        'histogram_quantile(0.99, sum by (job, le) (rate(x_bucket{job=~"$job", le!="a b"}'
        '[$__rate_interval]))) / on (job) group_left y_total or vector(0) * z') == {
            "x_bucket", "y_total", "z"}


# --------------------------------------------------------------------------------------------
# A real stack under load, scraped by a real Prometheus


def scraping_prometheus(workdir, targets: dict[str, str]) -> tuple[harness.ManagedProcess,
                                                                   harness.ApiClient]:
    """Prometheus scraping each {job: host:port} every second (no rules)."""
    return start_prometheus(workdir, (
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n" + "".join(
            f"  - job_name: {job}\n    static_configs:\n      - targets: ['{target}']\n"
            for job, target in targets.items())))


class Stack:
    """The processes, their clients, and the load that gives every panel something to show."""

    def __init__(self, api, worker, grades, prom_process, prom):
        self.api, self.worker, self.grades = api, worker, grades
        self.prom_process, self.prom = prom_process, prom
        self.client = api.admin_client()  # it also sets chaos rules: an admin token
        self.created: list[str] = []

    def metrics_texts(self) -> dict[str, str]:
        return {name: requests.get(url, timeout=5).text for name, url in (
            ("api", self.api.url("/metrics")), ("worker", self.worker.url("/metrics")),
            ("grade service", self.grades.url("/metrics")))}

    def traffic(self) -> None:
        """Creates, updates, a delete, reads (a miss then a hit each), list reads into the rate
        limit (a 429), grades calls that open the grade service breaker, three 503s by chaos."""
        c = self.client
        new = []
        for i in range(6):
            created = c.post(STUDENTS, json={"first_name": f"Dash{i}", "last_name": "Board",
                                             "grade": i + 1})
            assert created.status_code == 201, created.text
            new.append(created.json()["student_id"])
        self.created += new
        for student_id in new:
            for _ in range(2):  # the second answer comes from the cache
                assert c.get(f"{STUDENTS}/{student_id}").status_code == 200
        for student_id in new[:2]:
            assert c.patch(f"{STUDENTS}/{student_id}", json={"grade": 9}).status_code == 200
        assert c.delete(f"{STUDENTS}/{new[-1]}").status_code == 204
        lists = [c.get(STUDENTS).status_code for _ in range(LIST_BURST + 1)]
        assert 429 in lists, lists
        for student_id in new[:4]:  # fallback answers; the breaker opens after 3 failures
            assert c.get(f"{STUDENTS}/{student_id}/grades").status_code == 200
        chaos = {"route": "/", "error_rate": 1, "error_status": 503, "duration_seconds": 60}
        assert c.put("/api/v1/admin/chaos", json={"rules": [chaos]}).status_code == 200
        assert [c.get("/").status_code for _ in range(3)] == [503] * 3
        assert c.put("/api/v1/admin/chaos", json={"rules": []}).status_code == 200
        assert c.get("/no/such/dashboard/path").status_code == 404

    def processed_events(self) -> float:
        return self.worker.events("processed")


@pytest.fixture(scope="module")
def stack(tmp_path_factory, postgres, sre_binary):
    root = tmp_path_factory.mktemp("dashboards")
    postgres.create_database("dashboards")
    database_url = postgres.url("dashboards")
    stopping = []
    try:
        redis = harness.start_redis(root / "redis")
        stopping.append(redis)
        moto = harness.start_moto(root / "moto")
        stopping.append(moto)
        grades = harness.start_grade_service(root / "grades", binary=sre_binary)
        stopping.append(grades)
        env = harness.aws_env(moto.url)
        env.update({
            "DATABASE_URL": database_url, "REDIS_URL": redis.url, "WORKER_THREADS": "2",
            "RATE_LIMIT_ENABLED": "true",
            "RATE_LIMITS": f"* 10000/min; GET {STUDENTS} 1/h burst {LIST_BURST}",
            # nobody listens there: every grades call fails and the breaker opens
            "GRADE_SERVICE_URL": f"http://127.0.0.1:{harness.free_port()}",
            "RELAY_BREAKER_OPEN_SECONDS": "1", "RELAY_BACKOFF_MAX_MS": "1000"})
        api = harness.start_sre_playground(root / "api", env=env, binary=sre_binary)
        stopping.append(api)
        api.wait_for_log(lambda r: r.get("msg") == "outbox relay ready"
                         and r.get("destination") == "sqs", timeout=20, what="relay ready")
        worker_env = harness.aws_env(moto.url, sqs=True, dynamodb=False)
        worker_env.update({"DATABASE_URL": database_url, "WORKER_WAIT_SECONDS": "1"})
        worker = harness.start_worker(root / "worker", env=worker_env, binary=sre_binary)
        stopping.append(worker)
        prom_process, prom = scraping_prometheus(root / "prometheus", {
            API_JOB: f"{api.host}:{api.port}", WORKER_JOB: f"{worker.host}:{worker.port}",
            GRADES_JOB: f"{grades.host}:{grades.port}"})
        stopping.append(prom_process)
        stack = Stack(api, worker, grades, prom_process, prom)
        # rate() sees growth between two samples: the traffic runs, is scraped, runs again.
        stack.traffic()
        per_round = 6 + 2 + 1  # creates, updates, the delete
        harness.poll(lambda: stack.processed_events() == per_round, 20, interval=0.1,
                     what="the worker applying the first round's events")
        wait_for(prom_process,
                 lambda: query(prom, f'sum(worker_events_processed_total{{job="{WORKER_JOB}",'
                                     f'outcome="processed"}}) == {per_round}')
                 and query(prom, f'events_published_total{{job="{API_JOB}",'
                                 f'destination="sqs"}} == {per_round}')
                 # every process scraped at least once (a loaded machine can fail a 1 s
                 # scrape): the job and instance variables list all three
                 and query(prom, 'count(count by (job) (sre_playground_build_info)) == 3'),
                 "the first round scraped, and every process")
        stack.traffic()
        harness.poll(lambda: stack.processed_events() == 2 * per_round, 20, interval=0.1,
                     what="the worker applying the second round's events")
        yield stack
        stack.client.close()
        prom.close()
    finally:
        for process in reversed(stopping):
            process.stop()


def grafana_regex(values: list[str]) -> str:
    """Several values of a variable in a regex matcher, as Grafana writes them: (a|b), each
    value's regex characters escaped with a backslash that is itself escaped for the PromQL
    string (127.0.0.1 becomes 127\\\\.0...)."""
    return "(" + "|".join(re.sub(r"([\\$^*{}\[\]'+?.()|])", r"\\\\\1", v)
                          for v in values) + ")"


def label_values(prom: harness.ApiClient, definition: str) -> list[str]:
    """Grafana's label_values(selector, label) through Prometheus' series API."""
    match = re.fullmatch(r"label_values\((.+),\s*(\w+)\)", definition)
    assert match, definition
    selector, label = match.groups()
    response = prom.get("/api/v1/series", params={"match[]": selector})
    assert response.status_code == 200, response.text
    return sorted({series[label] for series in response.json()["data"] if label in series})


def substitute(expr: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        expr = expr.replace("${" + name + "}", value).replace("$" + name, value)
    assert "$" not in expr, f"a variable left unsubstituted: {expr}"
    return expr


def resolve_variables(prom: harness.ApiClient, dashboard: dict) -> dict[str, str]:
    """Each query variable's values from its own query, everything selected (the All option):
    what Grafana would put into the queries."""
    values = {"__rate_interval": RATE_INTERVAL}
    for variable in dashboard["templating"]["list"]:
        if variable["type"] != "query":
            continue
        found = label_values(prom, substitute(variable["definition"], values))
        assert found, f"variable {variable['name']}: {variable['definition']} found nothing"
        values[variable["name"]] = grafana_regex(found)
    return values


def has_a_number(prom: harness.ApiClient, expr: str) -> bool:
    samples = query(prom, expr)  # asserts the query is valid
    return any(not math.isnan(float(sample["value"][1])) for sample in samples)


@pytest.mark.slow
def test_every_panel_query_is_valid_and_returns_data(stack):
    dashboards = load_dashboards()
    pending = {}
    for name in EVALUATED:
        dashboard = dashboards[name]
        values = resolve_variables(stack.prom, dashboard)
        if name == "overview.json":  # every process is a choice of the job variable
            assert values["job"] == grafana_regex(sorted([API_JOB, GRADES_JOB, WORKER_JOB]))
        for where, expr in queries_of(dashboard):
            # valid with a short interval too (the alerts annotation may well be empty)
            query(stack.prom, substitute(expr, {**values, "__rate_interval": "5s"}))
            concrete = substitute(expr, values)
            if where.startswith("panel"):
                pending[f"{name} {where}"] = concrete

    def all_have_data():
        for where in [w for w, expr in pending.items() if has_a_number(stack.prom, expr)]:
            del pending[where]
        return not pending
    try:
        harness.poll(all_have_data, 20, interval=0.5, what="data for every panel query")
    except TimeoutError:
        pytest.fail("panel queries without data:\n" + "\n".join(
            f"  {where}: {expr}" for where, expr in pending.items()), pytrace=False)


def recorded_names() -> set[str]:
    return {name for rules in RULE_FILES
            for name in re.findall(r"^\s*- record:\s*(\S+)", rules.read_text(), re.MULTILINE)}


def test_every_metric_a_dashboard_reads_is_exported(stack):
    exported = set()
    for text in stack.metrics_texts().values():
        exported |= {line.split("{")[0].split(" ")[0] for line in text.splitlines()
                     if line and not line.startswith("#")}
    known = exported | recorded_names() | PROMETHEUS_MADE
    missing = {}
    for name, dashboard in load_dashboards().items():
        for where, expr in queries_of(dashboard):
            unknown = metric_names(expr) - known
            if unknown:
                missing[f"{name} {where}"] = sorted(unknown)
    assert not missing, f"metrics no process exports: {missing}"


# --------------------------------------------------------------------------------------------
# Metric hygiene


@pytest.mark.parametrize("process", ["api", "worker", "grade service"])
def test_promtool_check_metrics(stack, process):
    text = stack.metrics_texts()[process]
    result = subprocess.run([PROMTOOL, "check", "metrics"], input=text, capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 0, f"{process}:\n{result.stdout}{result.stderr}"


def series_of(text: str) -> set[str]:
    return {line.rsplit(" ", 1)[0] for line in text.splitlines()
            if line and not line.startswith("#")}


@pytest.mark.slow
def test_unknown_student_ids_and_paths_add_no_series(stack):
    """On the API (student reads and grades, unknown paths) and the grade service (grades of
    unknown students). The worker and the grade service route with the API's router and count
    with its HTTP metrics, so an unknown path is `unmatched` there too."""
    def requests_for(ids: range) -> None:
        # one client per process and thread (a requests session is not shared across threads)
        with closing(harness.ApiClient(stack.api.base_url)) as api, \
                closing(harness.ApiClient(stack.grades.base_url)) as grades:
            for i in ids:
                assert api.get(f"{STUDENTS}/STU-{i:08X}").status_code == 404
                assert api.get(f"/no/such/path/{i}").status_code == 404
                assert api.get(f"{STUDENTS}/STU-{i:08X}/grades").status_code == 200  # fallback
                assert grades.get(f"/grades/STU-{i:08X}").status_code == 200

    def series() -> set[str]:
        return {f"{name} {line}" for name, text in stack.metrics_texts().items()
                for line in series_of(text)}

    # The first request of each kind creates its series (route template, status): made
    # before counting. Then 1,000 more ids and paths, from four threads.
    requests_for(range(1))
    before = series()
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(requests_for, [range(start, start + 250) for start in range(1, 1001, 250)]))
    after = series()
    assert after - before == set(), sorted(after - before)[:20]
    assert not any("STU-" in line or "/no/such/path/" in line for line in after)
