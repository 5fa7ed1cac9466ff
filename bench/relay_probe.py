#!/usr/bin/python3
"""The relay's side of `make bench` (scenario relay), against a running API.

usage:
  relay_probe.py create URL COUNT [RATE]   POST COUNT students (RATE per second; 0: as fast
                                           as 4 connections go); prints created=N seconds=S
  relay_probe.py drain URL TOTAL TIMEOUT   waits until events_published_total{sqs} reaches
                                           TOTAL; prints the relay's rate over that time:
                                           events=N seconds=S events_per_s=R
  relay_probe.py batch_ms URL              mean SendMessageBatch latency in ms, from the API's
                                           aws_request_duration_seconds
  relay_probe.py ages URL                  prints the outbox_delivery_age_seconds{sqs}
                                           buckets as JSON (le -> cumulative count)
  relay_probe.py quantiles BEFORE AFTER    p50/p99 in ms of the observations between two
                                           `ages` outputs, interpolated within buckets as
                                           Prometheus' histogram_quantile does

Only the standard library: urllib on keep-alive-less connections is fast enough for the
rates used here (hundreds per second).
"""

import json
import sys
import threading
import time
import urllib.request

BODY = json.dumps({"first_name": "Relay", "last_name": "Bench", "grade": 7}).encode()


def post_student(url):
    request = urllib.request.Request(url + "/api/v1/students", data=BODY, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        if response.status != 201:
            raise RuntimeError(f"POST answered {response.status}")


def create(url, count, rate):
    started = time.monotonic()
    if rate > 0:  # paced: one request every 1/rate s, from one thread
        for i in range(count):
            delay = started + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            post_student(url)
    else:
        lock = threading.Lock()
        left = [count]

        def work():
            while True:
                with lock:
                    if left[0] == 0:
                        return
                    left[0] -= 1
                post_student(url)
        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    print(f"created={count} seconds={time.monotonic() - started:.3f}")


def metrics(url):
    with urllib.request.urlopen(url + "/metrics", timeout=10) as response:
        return response.read().decode()


def published(url):
    for line in metrics(url).splitlines():
        if line.startswith('events_published_total{destination="sqs"}'):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def drain(url, total, timeout):
    deadline = time.monotonic() + timeout
    first = None
    while time.monotonic() < deadline:
        now, value = time.monotonic(), published(url)
        if first is None and value > 0:
            first = (now, value)
        if value >= total:
            events = value - first[1]
            seconds = now - first[0]
            rate = events / seconds if seconds > 0 else 0
            print(f"events={events:.0f} seconds={seconds:.3f} events_per_s={rate:.0f}")
            return
        time.sleep(0.02)
    sys.exit(f"relay_probe: only {published(url):.0f} of {total} events published in {timeout}s")


def batch_ms(url):
    total = count = 0.0
    for line in metrics(url).splitlines():
        if 'operation="SendMessageBatch"' in line and line.startswith("aws_request_duration_seconds_"):
            value = float(line.rsplit(" ", 1)[1])
            if line.startswith("aws_request_duration_seconds_sum"):
                total = value
            elif line.startswith("aws_request_duration_seconds_count"):
                count = value
    print(f"{total / count * 1000:.1f}" if count else "0")


def ages(url):
    buckets = {}
    for line in metrics(url).splitlines():
        if line.startswith("outbox_delivery_age_seconds_bucket{") and 'destination="sqs"' in line:
            le = line.split('le="', 1)[1].split('"', 1)[0]
            buckets[le] = float(line.rsplit(" ", 1)[1])
    print(json.dumps(buckets))


def quantile(q, bounds, counts):
    total = counts[-1]
    rank = q * total
    previous_bound, previous_count = 0.0, 0.0
    for bound, count in zip(bounds, counts):
        if count >= rank:
            if bound == float("inf"):
                return previous_bound
            share = (rank - previous_count) / (count - previous_count) if count > previous_count else 0
            return previous_bound + (bound - previous_bound) * share
        previous_bound, previous_count = bound, count
    return previous_bound


def quantiles(before_json, after_json):
    before, after = json.loads(before_json), json.loads(after_json)
    les = sorted(after, key=lambda le: float("inf") if le == "+Inf" else float(le))
    bounds = [float("inf") if le == "+Inf" else float(le) for le in les]
    counts = [after[le] - before.get(le, 0) for le in les]
    if not counts or counts[-1] == 0:
        sys.exit("relay_probe: no delivery observed between the two samples")
    print(f"observations={counts[-1]:.0f} p50_ms={quantile(0.5, bounds, counts) * 1000:.1f} "
          f"p99_ms={quantile(0.99, bounds, counts) * 1000:.1f}")


def main(argv):
    command = argv[1]
    if command == "create":
        create(argv[2], int(argv[3]), float(argv[4]) if len(argv) > 4 else 0)
    elif command == "drain":
        drain(argv[2], float(argv[3]), float(argv[4]))
    elif command == "batch_ms":
        batch_ms(argv[2])
    elif command == "ages":
        ages(argv[2])
    elif command == "quantiles":
        quantiles(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
