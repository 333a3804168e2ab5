#!/usr/bin/env python3
"""What progress streams cost: one job of 2,000 small files processed with and without 500 clients following it
through GET /api/v1/jobs/{id}/events, on a stack that is already running.

    STOWAGE_UPLOAD_MAX_FILES_PER_REQUEST=2000 deploy/local/run.sh        # the stack, taking 2,000 files at once
    bench/streams.py [--streams 500] [--files 2000] [--passes 2] [--url http://127.0.0.1:8080]

Each pass uploads the job in one request and waits for its end; every other pass has `--streams` clients, all
opened as soon as the upload is accepted, each reading its stream to the final event. Reported per pass: the job's
files/s (its files over the time from its creation to its last file's end, both as the gateway recorded them), the
CPU seconds of the gateway, the workers and the whole machine (from /proc, over the same wall time), and for the
streamed passes the events and bytes a client received and how long after the job's end the final event arrived.
A warm-up pass (a tenth of the files and of the streams) comes first and is not reported.

The clients are plain sockets on one selector thread, so that the benchmark's own CPU stays small beside the
gateway's; the key goes in the Authorization header, as the console sends it. The gateway's and workers' process
ids come from run/*.pid (deploy/local/run.sh writes them), or --gateway-pid. Prints a table and writes
bench/results/streams-<UTC timestamp>.json. Standard library only; the API key comes from STOWAGE_API_KEY (default:
the local admin key of deploy/local/run.sh).
"""
import argparse
import datetime
import glob
import json
import os
import random
import selectors
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN = os.path.join(ROOT, "run")
RESULTS = os.path.join(ROOT, "bench", "results")
sys.path.insert(0, os.path.join(ROOT, "deploy", "local"))
from demo import api_key, generate_file, multipart  # noqa: E402

CLK = os.sysconf("SC_CLK_TCK")
RECORDS_PER_FILE = 10  # about 1 KB a file: the small files of the main benchmark
END_MARK = b"\nevent: end\n"
EVENT_MARK = b"\nevent: "


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else None


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


# --- processes' CPU --------------------------------------------------------------------------------------------

def pids(args):
    def read(path):
        try:
            with open(path) as f:
                return int(f.read().strip())
        except FileNotFoundError:
            sys.exit(f"{os.path.relpath(path, ROOT)} is missing: start the stack with deploy/local/run.sh, or pass"
                     " --gateway-pid (see --help).")
    gateway = args.gateway_pid or read(os.path.join(RUN, "gateway.pid"))
    workers = [read(p) for p in sorted(glob.glob(os.path.join(RUN, "worker-*.pid")))]
    for pid in [gateway, *workers]:
        if not os.path.exists(f"/proc/{pid}"):
            sys.exit(f"Process {pid} is not running: start the stack with deploy/local/run.sh (see --help).")
    return gateway, workers


def cpu_ticks(pid):
    """utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def machine_ticks():
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    return sum(cpu) - cpu[3] - cpu[4]  # all but idle and iowait


def snapshot(gateway, workers):
    return {"at": time.monotonic(), "gateway": cpu_ticks(gateway),
            "workers": sum(cpu_ticks(pid) for pid in workers), "machine": machine_ticks()}


def cpu_between(before, after):
    wall = after["at"] - before["at"]
    seconds = {name: round((after[name] - before[name]) / CLK, 2) for name in ("gateway", "workers", "machine")}
    return {"wall_s": round(wall, 2), "cpu_s": seconds,
            "gateway_cores": round(seconds["gateway"] / wall, 3) if wall > 0 else None}


# --- the API ---------------------------------------------------------------------------------------------------

def request(url, path, data=None, headers=None):
    req = urllib.request.Request(url + path, data=data, method="POST" if data is not None else "GET")
    req.add_header("Authorization", f"Bearer {api_key()}")
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    with urllib.request.urlopen(req, timeout=600) as response:
        return json.loads(response.read())


def upload(url, files, dataset):
    content_type, body = multipart(files, {"dataset": dataset})
    try:
        return request(url, "/api/v1/jobs", body, {"Content-Type": content_type})["jobId"]
    except urllib.error.HTTPError as e:
        if e.code == 413:
            sys.exit(f"The gateway refused {len(files)} files in one request (413): start the stack with"
                     f" STOWAGE_UPLOAD_MAX_FILES_PER_REQUEST={len(files)} (see --help).")
        raise


def await_end(url, job_id, timeout):
    """Polls the job once a second until it has ended; its view."""
    deadline = time.monotonic() + timeout
    while True:
        job = request(url, f"/api/v1/jobs/{job_id}")
        if job["finishedAt"]:
            return job
        if time.monotonic() > deadline:
            sys.exit(f"Job {job_id} did not end within {timeout} s: {job['progress']}")
        time.sleep(1)


# --- the streams' clients --------------------------------------------------------------------------------------

class Streams:
    """`count` progress streams of one job, read on one selector thread until each has had its final event."""

    def __init__(self, url, job_id, count, with_files):
        parsed = urllib.parse.urlparse(url)
        self.address = (parsed.hostname, parsed.port or 80)
        query = "?files=true" if with_files else ""
        self.request = (f"GET /api/v1/jobs/{job_id}/events{query} HTTP/1.1\r\nHost: {parsed.netloc}\r\n"
                        f"Authorization: Bearer {api_key()}\r\nAccept: text/event-stream\r\n"
                        f"Connection: close\r\n\r\n").encode()
        self.count = count
        self.clients = []
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.failures = []

    def start(self):
        self.thread.start()
        return self

    def open(self, selector):
        for _ in range(self.count):
            sock = socket.create_connection(self.address, timeout=30)
            sock.sendall(self.request)
            sock.setblocking(False)
            client = {"socket": sock, "bytes": 0, "events": 0, "tail": b"", "status": None, "ended_at": None}
            self.clients.append(client)
            selector.register(sock, selectors.EVENT_READ, client)

    def run(self):
        selector = selectors.DefaultSelector()
        self.open(selector)
        open_count = self.count
        while open_count:
            for key, _ in selector.select(timeout=1):
                client = key.data
                try:
                    chunk = client["socket"].recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError as e:
                    self.failures.append(str(e))
                    chunk = b""
                if chunk:
                    self.received(client, chunk)
                    continue
                selector.unregister(client["socket"])
                client["socket"].close()
                open_count -= 1
        selector.close()

    @staticmethod
    def received(client, chunk):
        if client["status"] is None:
            client["status"] = int(chunk.split(b" ", 2)[1])
        client["bytes"] += len(chunk)
        window = client["tail"] + chunk  # a mark may straddle two reads
        client["events"] += window.count(EVENT_MARK) - client["tail"].count(EVENT_MARK)
        if client["ended_at"] is None and END_MARK in window:
            client["ended_at"] = time.time()
        client["tail"] = window[-16:]

    def join(self, timeout):
        self.thread.join(timeout)
        if self.thread.is_alive():
            sys.exit(f"The streams did not all end within {timeout} s")

    def report(self, finished_epoch):
        statuses = {}
        for client in self.clients:
            statuses[client["status"]] = statuses.get(client["status"], 0) + 1
        ended = [c for c in self.clients if c["ended_at"] is not None]
        lags = [round((c["ended_at"] - finished_epoch) * 1000) for c in ended]
        return {"streams": self.count, "statuses": statuses, "final_event_received": len(ended),
                "events_per_stream": percentile([c["events"] for c in self.clients], 50),
                "bytes_per_stream": percentile([c["bytes"] for c in self.clients], 50),
                "final_event_after_job_end_ms": {"p50": percentile(lags, 50), "p95": percentile(lags, 95),
                                                 "max": max(lags) if lags else None},
                "failures": self.failures[:3]}


# --- passes ----------------------------------------------------------------------------------------------------

def one_pass(args, files, streams, gateway, workers):
    before = snapshot(gateway, workers)
    job_id = upload(args.url, files, args.dataset)
    clients = Streams(args.url, job_id, streams, args.with_files).start() if streams else None
    job = await_end(args.url, job_id, args.timeout)
    if clients:
        clients.join(args.timeout)
    after = snapshot(gateway, workers)
    seconds = instant(job["finishedAt"]) - instant(job["createdAt"])
    result = {"job": job_id, "status": job["status"], "files": len(files), "streams": streams,
              "files_per_s": round(len(files) / seconds, 1), "job_seconds": round(seconds, 3),
              **cpu_between(before, after)}
    if clients:
        result["clients"] = clients.report(instant(job["finishedAt"]))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--streams", type=int, default=500)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--passes", type=int, default=2, help="pairs of passes: without streams, then with")
    parser.add_argument("--with-files", action="store_true",
                        help="streams ask for the files that changed too (?files=true), as the console's job page does")
    parser.add_argument("--dataset", default="bench_streams")
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--gateway-pid", type=int)
    args = parser.parse_args()
    if args.passes < 1 or args.files < 1 or args.streams < 1:
        parser.error("--passes, --files and --streams must be at least 1")

    gateway, workers = pids(args)
    rng = random.Random(7)
    files = [(f"s{i:05d}.json", generate_file(i, RECORDS_PER_FILE, rng)) for i in range(args.files)]
    log(f"{args.files} files of about {sum(len(b) for _, b in files) // args.files} bytes; gateway pid {gateway},"
        f" workers {workers}")

    warm = max(1, args.files // 10)
    log(f"warm-up: {warm} files, {max(1, args.streams // 10)} streams")
    one_pass(args, files[:warm], max(1, args.streams // 10), gateway, workers)

    passes = []
    for n in range(args.passes):
        for streams in (0, args.streams):
            result = one_pass(args, files, streams, gateway, workers)
            passes.append(result)
            clients = result.get("clients")
            log(f"pass {n + 1}, {streams} streams: {result['files_per_s']} files/s, gateway"
                f" {result['cpu_s']['gateway']} CPU s in {result['wall_s']} s"
                + (f"; {clients['final_event_received']}/{streams} final events, p95"
                   f" {clients['final_event_after_job_end_ms']['p95']} ms after the end" if clients else ""))

    def median(streams, pick):
        values = [pick(p) for p in passes if p["streams"] == streams]
        return percentile(values, 50)

    summary = {}
    for streams in (0, args.streams):
        summary[streams] = {"files_per_s": median(streams, lambda p: p["files_per_s"]),
                            "gateway_cpu_s": median(streams, lambda p: p["cpu_s"]["gateway"]),
                            "gateway_cores": median(streams, lambda p: p["gateway_cores"])}
    ratio = summary[args.streams]["files_per_s"] / summary[0]["files_per_s"]
    print()
    print(f"{'':28}{'without streams':>18}{f'{args.streams} streams':>18}")
    for label, key in (("files/s (median)", "files_per_s"), ("gateway CPU s (median)", "gateway_cpu_s"),
                       ("gateway cores busy", "gateway_cores")):
        print(f"{label:28}{summary[0][key]:>18}{summary[args.streams][key]:>18}")
    print(f"{'files/s with / without':28}{round(ratio, 3):>36}")

    os.makedirs(RESULTS, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = os.path.join(RESULTS, f"streams-{stamp}.json")
    with open(path, "w") as f:
        json.dump({"args": vars(args), "summary": {str(k): v for k, v in summary.items()},
                   "files_per_s_ratio": round(ratio, 3), "passes": passes}, f, indent=2)
    log(f"written {os.path.relpath(path, ROOT)}")


if __name__ == "__main__":
    main()
