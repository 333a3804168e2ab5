#!/usr/bin/env python3
"""Upload acknowledgement latency of Stowage, measured from outside like a client sees it.

    bench/upload_latency.py [--url http://127.0.0.1:8080] [--rounds 50] [--files 100] [--size 4096]

Each round uploads one request of --files files of about --size bytes (flat records) and times the 202.
By default rounds go back to back (workers busy with the growing backlog: latency under load) and it then
waits for the last job. With --isolated each round waits for its job to finish first (workers idle at upload
time) and it also reports how long a job takes from upload to finished.
Prints p50/p95/p99/max and appends a JSON line to bench/results.jsonl.
"""
import argparse
import json
import os
import statistics
import sys
import time
import random
import http.client
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "deploy", "local"))
from demo import api_key, generate_file, multipart  # noqa: E402


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--size", type=int, default=4096)
    parser.add_argument("--no-wait", action="store_true", help="do not wait for the last job to finish")
    parser.add_argument("--isolated", action="store_true", help="wait for each job before the next upload")
    args = parser.parse_args()

    url = urllib.parse.urlparse(args.url)
    connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
    rng = random.Random(7)
    records = max(1, args.size // 105)
    files = [(f"bench-{i:04d}.json", generate_file(i, records, rng)) for i in range(args.files)]
    content_type, body = multipart(files, {"dataset": "bench_upload"})

    auth = {"Authorization": f"Bearer {api_key()}"}

    def upload():
        started = time.perf_counter()
        connection.request("POST", "/api/v1/jobs", body, {"Content-Type": content_type, **auth})
        response = connection.getresponse()
        payload = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 202:
            sys.exit(f"upload failed: {response.status} {payload[:300]!r}")
        return elapsed, json.loads(payload)["jobId"], time.monotonic()

    def await_finished(job_id, sent_at):
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            connection.request("GET", f"/api/v1/jobs/{job_id}", headers=auth)
            job = json.loads(connection.getresponse().read())
            if job["finishedAt"]:
                return job, round(time.monotonic() - sent_at, 3)
            time.sleep(0.01)
        sys.exit(f"job {job_id} did not finish within 10 minutes")

    for _ in range(args.warmup):
        elapsed, job_id, sent_at = upload()
        if args.isolated:
            await_finished(job_id, sent_at)
    latencies, finish_times = [], []
    for _ in range(args.rounds):
        elapsed, job_id, sent_at = upload()
        latencies.append(elapsed)
        if args.isolated:
            finish_times.append(await_finished(job_id, sent_at)[1])

    job, last_job_seconds = {"status": "not waited for"}, None
    if not args.no_wait and not args.isolated:
        job, last_job_seconds = await_finished(job_id, sent_at)

    result = {
        "benchmark": "upload_latency",
        "files_per_request": args.files,
        "file_bytes": len(files[0][1]),
        "request_bytes": len(body),
        "rounds": args.rounds,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "max_ms": round(max(latencies), 1),
        "mean_ms": round(statistics.mean(latencies), 1),
        "mode": "isolated" if args.isolated else "back-to-back",
        "job_finish_p50_s": percentile(finish_times, 50) if finish_times else None,
        "job_finish_p95_s": percentile(finish_times, 95) if finish_times else None,
        "last_job_status": job["status"],
        "last_job_seconds_to_finish": last_job_seconds,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    print(f"{args.rounds} uploads of {args.files} files x {result['file_bytes']} B ({len(body) / 1024:.0f} KiB):")
    print(f"  p50 {result['p50_ms']} ms   p95 {result['p95_ms']} ms   p99 {result['p99_ms']} ms   "
          f"max {result['max_ms']} ms")
    if finish_times:
        print(f"  job upload-to-finished: p50 {result['job_finish_p50_s']} s   p95 {result['job_finish_p95_s']} s")
    if last_job_seconds is not None:
        print(f"  last job {job['status']} {last_job_seconds} s after its upload "
              f"(behind {args.rounds + args.warmup - 1} jobs of the same size)")
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "results.jsonl"), "a") as out:
        out.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
