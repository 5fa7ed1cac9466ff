"""deploy/k8s rendered with `kubectl kustomize` (no cluster here), checked against the
application: the settings each program reads, the ports it listens on, the probe paths it
answers, its shutdown settings, and the names the monitoring rules select on."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import requests
import yaml

import harness

REPO = harness.REPO_ROOT
OVERLAYS = ("dev", "prod")
# The image each overlay runs (one image for every program).
IMAGES = {"dev": "sre-playground:latest", "prod": "registry.example.com/sre-playground:0.1.0"}
# The setting that holds each program's port.
PORT_SETTING = {"serve": "PORT", "worker": "WORKER_PORT", "grade-service": "PORT"}
SECRETS = {"DATABASE_URL", "REDIS_URL", "JWT_SECRET", "AWS_ACCESS_KEY_ID",
           "AWS_SECRET_ACCESS_KEY"}


def render_directory(directory: Path) -> list[dict]:
    text = subprocess.run(["kubectl", "kustomize", str(directory)],
                          check=True, capture_output=True, text=True).stdout
    return [doc for doc in yaml.safe_load_all(text) if doc]


def render(overlay: str) -> list[dict]:
    return render_directory(REPO / "deploy/k8s/overlays" / overlay)


@pytest.fixture(scope="module", params=OVERLAYS)
def overlay(request):
    return request.param, render(request.param)


def of_kind(docs: list[dict], kind: str) -> list[dict]:
    return [doc for doc in docs if doc["kind"] == kind]


def workloads(docs: list[dict]):
    """(object, pod spec, container, program) for every container that runs our image."""
    for doc in of_kind(docs, "Deployment") + of_kind(docs, "Job"):
        pod = doc["spec"]["template"]["spec"]
        for container in pod["containers"]:
            yield doc, pod, container, container["args"][0]


def config_map(docs: list[dict], name: str) -> dict[str, str]:
    return next(doc for doc in of_kind(docs, "ConfigMap")
                if doc["metadata"]["name"] == name)["data"]


def environment(docs: list[dict], container: dict) -> dict[str, object]:
    """NAME -> value (text) or the valueFrom it names, ConfigMaps included."""
    env: dict[str, object] = {}
    for source in container.get("envFrom", []):
        env.update(config_map(docs, source["configMapRef"]["name"]))
    for entry in container.get("env", []):
        env[entry["name"]] = entry.get("value", entry.get("valueFrom"))
    return env


def matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


def test_every_env_name_is_a_setting_of_the_program(overlay, settings_of):
    _, docs = overlay
    for doc, _, container, program in workloads(docs):
        unknown = set(environment(docs, container)) - set(settings_of(program))
        # One ConfigMap serves every program: a name only some programs read is fine, a name
        # no program reads is a typo.
        shared = set(config_map(docs, "sre-playground-config"))
        unknown -= {name for name in shared
                    if any(name in settings_of(p) for p in ("serve", "worker"))}
        assert not unknown, f"{doc['metadata']['name']} ({program}) sets no setting {unknown}"


def test_secrets_come_from_the_secret_only(overlay, settings_of):
    _, docs = overlay
    for cm in of_kind(docs, "ConfigMap"):
        assert not SECRETS & set(cm["data"]), cm["metadata"]["name"]
    for doc, _, container, program in workloads(docs):
        for name, value in environment(docs, container).items():
            if name in SECRETS:
                assert value == {"secretKeyRef": {"name": "sre-playground-secrets",
                                                  "key": name}}, (doc["metadata"]["name"], name)
        # Each program gets the secrets it reads, and the API all of them.
        wanted = SECRETS & set(settings_of(program))
        if program == "serve":
            assert wanted <= set(environment(docs, container)), wanted


def test_ports_are_the_programs_ports(overlay, settings_of):
    _, docs = overlay
    for doc, _, container, program in workloads(docs):
        if program == "migrate":
            continue
        setting = PORT_SETTING[program]
        port = int(environment(docs, container).get(setting) or settings_of(program)[setting])
        assert port == int(settings_of(program)[setting]), "the program's own default port"
        assert container["ports"] == [{"name": "http", "containerPort": port}]
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            assert container[probe]["httpGet"]["port"] == "http", (program, probe)


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """The three long-running programs, started for real on loopback."""
    workdir = tmp_path_factory.mktemp("programs")
    api = harness.start_sre_playground(workdir / "api")
    worker = harness.start_worker(workdir / "worker", env={"DATA_DIR": str(api.data_dir)})
    grades = harness.start_grade_service(workdir / "grades")
    yield {"serve": api.base_url, "worker": worker.base_url, "grade-service": grades.base_url}
    for process in (grades, worker, api):
        process.stop()


def test_probe_paths_answer_200_from_the_real_programs(running):
    for _, _, container, program in workloads(render("prod")):
        if program == "migrate":
            continue
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            path = container[probe]["httpGet"]["path"]
            answer = requests.get(running[program] + path, timeout=5)
            assert answer.status_code == 200, (program, probe, path, answer.text)
    # The readiness probe of the API is the one that fails while it cannot serve.
    api = next(c for _, _, c, p in workloads(render("prod")) if p == "serve")
    assert api["readinessProbe"]["httpGet"]["path"] == "/health/ready"


def prestop_sleep(container: dict) -> int:
    command = container["lifecycle"]["preStop"]["exec"]["command"]
    assert command[:2] == ["/bin/busybox", "sleep"], command
    return int(command[2])


def test_grace_periods_cover_the_shutdown_settings(overlay, settings_of):
    _, docs = overlay
    for doc, pod, container, program in workloads(docs):
        if doc["kind"] != "Deployment":
            continue
        env = environment(docs, container)
        grace = pod["terminationGracePeriodSeconds"]
        delay = prestop_sleep(container) if "lifecycle" in container else 0
        timeout = int(env.get("SHUTDOWN_TIMEOUT_SECONDS",
                              settings_of(program).get("SHUTDOWN_TIMEOUT_SECONDS", "0")))
        if program == "serve":
            # The preStop hook is the API's shutdown delay (its own default), so the API does
            # not wait a second time after SIGTERM.
            assert delay == int(settings_of("serve")["SHUTDOWN_DELAY_SECONDS"])
            assert env["SHUTDOWN_DELAY_SECONDS"] == "0"
        if program == "worker":
            assert "lifecycle" not in container, "nothing routes traffic to the worker"
        # Killed no earlier than the wait and the drain, with 5 s to exit; not much later.
        assert delay + timeout + 5 == grace, (doc["metadata"]["name"], delay, timeout, grace)


def test_one_image_with_consistent_labels_and_selectors(overlay):
    name, docs = overlay
    deployments = of_kind(docs, "Deployment")
    pods = {d["metadata"]["name"]: d["spec"]["template"]["metadata"]["labels"]
            for d in deployments}
    for doc, _, container, _ in workloads(docs):
        assert container["image"] == IMAGES[name], doc["metadata"]["name"]
    for d in deployments:
        assert matches(d["spec"]["selector"]["matchLabels"], pods[d["metadata"]["name"]])
        # No two Deployments select each other's pods.
        assert [n for n, labels in pods.items()
                if matches(d["spec"]["selector"]["matchLabels"], labels)] == [d["metadata"]["name"]]
    for service in of_kind(docs, "Service"):
        selected = [n for n, labels in pods.items() if matches(service["spec"]["selector"], labels)]
        assert len(selected) == 1, service["metadata"]["name"]
        assert service["metadata"]["name"] == selected[0], "the Service is named after its pods"
    for pdb in of_kind(docs, "PodDisruptionBudget"):
        assert any(matches(pdb["spec"]["selector"]["matchLabels"], l) for l in pods.values())
    for policy in of_kind(docs, "NetworkPolicy"):
        assert any(matches(policy["spec"]["podSelector"]["matchLabels"], l)
                   for l in pods.values()), policy["metadata"]["name"]
    for hpa in of_kind(docs, "HorizontalPodAutoscaler"):
        assert hpa["spec"]["scaleTargetRef"]["name"] in pods
    for doc in docs:
        assert doc["metadata"]["labels"]["app.kubernetes.io/part-of"] == "sre-playground"
        assert doc["metadata"]["namespace"] == {"dev": "sre-playground-dev",
                                                "prod": "sre-playground"}[name]


def test_prometheus_scrapes_every_service_under_the_rules_job_names(overlay):
    _, docs = overlay
    [monitor] = of_kind(docs, "ServiceMonitor")
    services = of_kind(docs, "Service")
    assert all(matches(monitor["spec"]["selector"]["matchLabels"], s["metadata"]["labels"])
               for s in services)
    assert [e["path"] for e in monitor["spec"]["endpoints"]] == ["/metrics"]
    port = monitor["spec"]["endpoints"][0]["port"]
    assert all(port in [p["name"] for p in s["spec"]["ports"]] for s in services)
    # The job label is the Service's name; the rules select on these.
    [rule] = of_kind(docs, "PrometheusRule")
    jobs = set(re.findall(r'job="([^"]+)"', yaml.safe_dump(rule["spec"])))
    assert jobs and jobs <= {s["metadata"]["name"] for s in services}


def test_prometheus_rule_is_generated_from_the_monitoring_rule_files():
    check = subprocess.run([str(REPO / "scripts/k8s-prometheus-rule"), "--check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def image_user() -> int:
    [user] = re.findall(r"^USER (\d+):", (REPO / "Dockerfile").read_text(), re.M)
    return int(user)


def test_pods_run_locked_down_as_the_image_user(overlay):
    _, docs = overlay
    for doc, pod, container, _ in workloads(docs):
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] == image_user()
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert container["securityContext"] == {"allowPrivilegeEscalation": False,
                                                 "readOnlyRootFilesystem": True,
                                                 "capabilities": {"drop": ["ALL"]}}
        limits, requests_ = container["resources"]["limits"], container["resources"]["requests"]
        assert set(limits) == set(requests_) == {"cpu", "memory"}, doc["metadata"]["name"]


def test_migration_job_runs_migrate_and_the_api_does_not(overlay):
    _, docs = overlay
    [job] = of_kind(docs, "Job")
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]
    assert job["metadata"]["labels"]["app.kubernetes.io/component"] == "migrate"
    assert config_map(docs, "sre-playground-config")["AUTO_MIGRATE"] == "false"


def test_prod_runs_three_api_pods_and_scales_on_cpu_and_in_flight_requests():
    docs = render("prod")
    [api] = [d for d in of_kind(docs, "Deployment") if d["metadata"]["name"] == "sre-playground"]
    assert api["spec"]["replicas"] == 3
    [hpa] = of_kind(docs, "HorizontalPodAutoscaler")
    assert hpa["spec"]["minReplicas"] == 3
    metrics = {m.get("resource", m.get("pods", {})).get("name")
               or m["pods"]["metric"]["name"] for m in hpa["spec"]["metrics"]}
    assert metrics == {"cpu", "http_requests_in_flight"}


def exported_metric_types(metrics_text: str) -> dict[str, str]:
    """{family name: type} from a /metrics page's # TYPE lines."""
    return dict(re.findall(r"^# TYPE (\S+) (\S+)$", metrics_text, re.M))


def adapter_rules() -> list[dict]:
    [adapter] = of_kind(render_directory(REPO / "deploy/k8s/monitoring"), "ConfigMap")
    return yaml.safe_load(adapter["data"]["config.yaml"])["rules"]


def test_the_hpas_pods_metric_is_an_adapter_rule_over_a_gauge_the_api_exports(running):
    exported = exported_metric_types(requests.get(running["serve"] + "/metrics", timeout=5).text)
    rules = adapter_rules()
    for overlay_name in OVERLAYS:
        [hpa] = of_kind(render(overlay_name), "HorizontalPodAutoscaler")
        wanted = [m["pods"]["metric"]["name"] for m in hpa["spec"]["metrics"]
                  if m["type"] == "Pods"]
        assert wanted, "the HPA scales on a Pods metric"
        for name in wanted:
            serving = [r for r in rules if r["name"]["as"] == name]
            assert len(serving) == 1, f"{overlay_name}: no one adapter rule serves {name}"
            [rule] = serving
            series = re.fullmatch(r"\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{.*\}\s*",
                                  rule["seriesQuery"]).group(1)
            # A series the real API serves, and a gauge: an average of it is requests in flight.
            assert exported.get(series) == "gauge", (series, sorted(exported))
            assert re.fullmatch(rule["name"]["matches"], series), rule["name"]
            # The adapter finds each series' pod by the labels the ServiceMonitor scrape adds.
            assert rule["resources"]["overrides"] == {"namespace": {"resource": "namespace"},
                                                      "pod": {"resource": "pod"}}
            assert {"<<.Series>>", "<<.LabelMatchers>>", "<<.GroupBy>>"} <= set(
                re.findall(r"<<\.\w+>>", rule["metricsQuery"]))
