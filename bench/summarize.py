#!/usr/bin/python3
"""Turns the records bench/run collected into the printed table and results JSON.

usage: summarize.py RECORDS.tsv OUT.json STRICT

Each record line is tab-separated key=value pairs with a `kind`:
  meta    run-wide facts (settings, git commit, machine); later lines add keys
  target  scenario, target, label, url: a thing that was loaded
  sample  scenario, target, round, rps, p50_ms, p90_ms, p99_ms, max_ms, requests, duration_s
          [, cpu_s_per_1k: the server's CPU seconds per 1,000 requests in that run]; or, for a
          micro-benchmark (scenario micro), scenario, target, round, ns_per_op
  value   scenario, name, label, value, unit: a measured number (e.g. memory)
  ratio   scenario, name, label, num, den[, field]: median req/s (or `field`: p50_ms, p99_ms,
          cpu_s_per_1k, ns_per_op) of target num / of target den
  check   scenario, label, metric (a value or ratio name), op (>=, >, <=, <), threshold

Per target the median over rounds is taken for req/s, p50, p99, CPU and ns/op independently.
Exit status: 0, or 3 when a check missed and STRICT is 1.
"""

import json
import operator
import statistics
import sys

OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


def parse_value(v):
    for conv in (int, float):
        try:
            return conv(v)
        except ValueError:
            pass
    return v


def read_records(path):
    records = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            rec = {}
            for field in line.split("\t"):
                key, _, value = field.partition("=")
                rec[key] = value if key in ("label", "url", "git_commit") else parse_value(value)
            records.append(rec)
    return records


def main():
    records_path, out_path, strict = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
    records = read_records(records_path)

    meta = {}
    scenarios = {}

    def scenario(name):
        return scenarios.setdefault(name, {"targets": {}, "values": {}, "ratios": {}, "checks": []})

    for r in records:
        kind = r.pop("kind")
        if kind == "meta":
            meta.update(r)
        elif kind == "target":
            scenario(r["scenario"])["targets"][r["target"]] = {"label": r["label"], "url": r["url"], "rounds": []}
        elif kind == "sample":
            sc = scenario(r.pop("scenario"))
            target = r.pop("target")
            sc["targets"][target]["rounds"].append(r)
        elif kind == "value":
            sc = scenario(r.pop("scenario"))
            sc["values"][r["name"]] = {"label": r["label"], "value": r["value"], "unit": r.get("unit", "")}

    for sc in scenarios.values():
        for t in sc["targets"].values():
            rounds = t["rounds"]
            for key in ("rps", "p50_ms", "p99_ms", "ns_per_op"):
                values = [x[key] for x in rounds if key in x]
                t[key] = round(statistics.median(values), 3) if values else None
            cpu = [x["cpu_s_per_1k"] for x in rounds if "cpu_s_per_1k" in x]
            t["cpu_s_per_1k"] = round(statistics.median(cpu), 4) if cpu else None

    for r in records:
        if r.get("scenario") is None:
            continue
        sc = scenarios[r["scenario"]]
        if "num" in r and "den" in r:  # ratio
            field = r.get("field", "rps")
            num, den = sc["targets"][r["num"]][field], sc["targets"][r["den"]][field]
            sc["ratios"][r["name"]] = {
                "label": r["label"],
                "num": r["num"],
                "den": r["den"],
                "value": round(num / den, 3) if num is not None and den else None,
            }

    all_pass = True
    for r in records:
        if "metric" not in r:
            continue
        sc = scenarios[r["scenario"]]
        src = sc["ratios"].get(r["metric"]) or sc["values"].get(r["metric"])
        value = src["value"] if src else None
        ok = value is not None and OPS[r["op"]](value, r["threshold"])
        all_pass = all_pass and ok
        sc["checks"].append(
            {
                "label": r["label"],
                "metric": r["metric"],
                "value": value,
                "op": r["op"],
                "threshold": r["threshold"],
                "result": "PASS" if ok else "MISS",
            }
        )

    settings_keys = ("duration", "connections", "threads", "rounds", "warmup", "strict", "scenarios", "api_worker_threads")
    result = {
        "timestamp": meta.get("timestamp"),
        "git": {"commit": meta.get("git_commit"), "dirty": meta.get("git_dirty") == "true"},
        "settings": {k: meta.get(k) for k in settings_keys},
        "machine": {
            k: meta.get(k) for k in ("cpus", "kernel", "loadavg_start", "loadavg_end", "wrk", "nginx")
        },
        "binary": meta.get("binary"),
        "scenarios": scenarios,
        "all_targets_met": all_pass,
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
        f.write("\n")

    # ---- table ----
    p = print
    p()
    p(
        f"sre-playground bench  {meta.get('timestamp')}  commit {str(meta.get('git_commit'))[:12]}"
        f"{' (dirty)' if result['git']['dirty'] else ''}"
    )
    p(
        f"wrk {meta.get('wrk')}: {meta.get('threads')} thread(s), {meta.get('connections')} connections, "
        f"{meta.get('duration')} x {meta.get('rounds')} interleaved rounds (median), warmup {meta.get('warmup')}; "
        f"{meta.get('cpus')} CPUs, load {meta.get('loadavg_start')} -> {meta.get('loadavg_end')}"
    )
    p(f"API WORKER_THREADS={meta.get('api_worker_threads')} (nginx: 1 worker)")
    for name, sc in scenarios.items():
        p()
        p(f"[{name}]")
        if any(t["ns_per_op"] is not None for t in sc["targets"].values()):  # micro-benchmarks
            p(f"  {'target':<42} {'ns/op':>10}   ns/op per repetition")
            for t in sc["targets"].values():
                per_round = " ".join(f"{x['ns_per_op']:.0f}" for x in t["rounds"])
                p(f"  {t['label']:<42} {t['ns_per_op']:>10.1f}   {per_round}")
        else:
            p(f"  {'target':<34} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'CPU s/1k':>9}   req/s per round")
            for t in sc["targets"].values():
                per_round = " ".join(f"{x['rps']:.0f}" for x in t["rounds"])
                cpu = "-" if t["cpu_s_per_1k"] is None else f"{t['cpu_s_per_1k']:.4f}"
                p(
                    f"  {t['label']:<34} {t['rps']:>10.0f} {t['p50_ms']:>8.3f} {t['p99_ms']:>8.3f} {cpu:>9}"
                    f"   {per_round}"
                )
        p()
        for ratio in sc["ratios"].values():
            shown = "n/a" if ratio["value"] is None else f"{ratio['value']:.2f}"
            p(f"  {ratio['label']:<34} {shown:>10}x")
        for v in sc["values"].values():
            p(f"  {v['label']:<60} {v['value']:>7} {v['unit']}")
        p()
        p(f"  {'target':<34} {'measured':>10}   result")
        for c in sc["checks"]:
            shown = "n/a" if c["value"] is None else f"{c['value']:.2f}"
            p(f"  {c['label']:<34} {shown:>10}   {c['result']}")
    p()
    p(f"results: {out_path}")
    if not all_pass:
        p("some targets were missed" + (" (BENCH_STRICT=1: failing)" if strict else " (set BENCH_STRICT=1 to fail on this)"))
    return 3 if strict and not all_pass else 0


if __name__ == "__main__":
    sys.exit(main())
