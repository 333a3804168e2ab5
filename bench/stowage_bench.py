#!/usr/bin/env python3
"""The benchmark suite: Stowage measured from outside, beside a Celery peer and PostgreSQL's own COPY, all in
the same run on the same services, so that every verdict is a ratio between figures of one run.

    bench/run.sh [--quick] [--only SCENARIO,...] [--no-start] [--no-build] [--passes N] [--url http://127.0.0.1:8080]

Scenarios, in the order they run (docs/performance.md says what each does):
    peer      the Celery peer (bench/peers/celery): the small, narrow and wide files -> files/s, rows/s
    cold      the first 2,000 small files after the stack started (no warm-up) -> files/s, the JIT's share
    warm      2,000 small files (~1.5 KB, 10 flat records) after 20,000 since the start -> files/s, JIT's share
    watched   the same while 200 clients each read a job of the pass once a second -> files/s
    status    GET /api/v1/jobs/{id} of a 100-file job, 2,000 times over one connection -> CPU ms per read
    narrow    50 files x 20,000 records of 10 short fields (~140 bytes) into one dataset -> rows/s
    wide      50 files x 20,000 records of 10 wider fields (~200 bytes) -> rows/s; worker peak RSS
    docs      2,000 nested ~2 KB documents (one object per file: JSONB) -> files/s
    latency   upload acknowledgement p50/p95/p99 of 1 x 4 KB and 100 x 4 KB in one request, workers idle
              (each job finishes before the next upload); then, last before `big`, with the workers stopped
    copy      the rows of `narrow` and `wide` as CSV through psql's \\copy into equivalent tables, one session
    analyzer  bench/analyzer.sh on the corpora and on the generated files -> MB/s (one thread, no database)
    big       one 200 MiB file of flat records to a stack restarted with workers at -Xmx256m -> outcome, time, RSS

Unless --no-start, it starts the stack with deploy/local/run.sh (the gateway and one worker of concurrency 4, as the
Celery peer is one worker of concurrency 4; WORKERS=2 in the environment for two) and
stops it at the end. Generated data is cached in bench/.data/. Prints one table and writes
bench/results/<UTC timestamp>.json (with a top-level "ratios" object), and appends a line to bench/results.jsonl.
Standard library only (the peer runs on Debian's python3-celery); the API key comes from STOWAGE_API_KEY (default:
the local key of deploy/local/run.sh), PostgreSQL from PGHOST/PGPORT/PGUSER/PGDATABASE (default 127.0.0.1:5432,
postgres, postgres).
"""
import argparse
import base64
import concurrent.futures
import datetime
import http.client
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
DATA = os.path.join(BENCH, ".data")
RUN = os.path.join(ROOT, "run")
sys.path.insert(0, os.path.join(ROOT, "deploy", "local"))
from demo import api_key, generate_file, multipart  # noqa: E402

SCENARIOS = ["peer", "cold", "warm", "watched", "status", "narrow", "wide", "docs", "latency", "copy", "analyzer",
             "big"]
DB_SCHEMA = os.environ.get("STOWAGE_DB_SCHEMA", "stowage")
DATASETS_SCHEMA = os.environ.get("STOWAGE_DATASETS_SCHEMA", "datasets")
REF_SCHEMA = "bench_ref"  # the \copy reference tables live here


class Shape:
    """A tabular workload: its records' fields and the columns Stowage makes of them (SqlTableWriter: two
    row-identity columns, the fields' types with decimals as exact numeric, _extra, _absent, the primary key). The
    \copy reference loads the same rows into a table with exactly these columns, and the suite checks that the
    table Stowage made still has them."""

    def __init__(self, name, fields):
        self.name = name
        self.fields = fields  # [(name, SQL type as information_schema spells it)]
        self.columns = [("_file_id", "uuid"), ("_row", "bigint"), *fields, ("_extra", "jsonb"), ("_absent", "ARRAY")]
        self.csv_columns = ["_file_id", "_row"] + [name for name, _ in fields]
        self.table_ddl = ", ".join(f"{name} {'text[]' if kind == 'ARRAY' else kind}"
                                   + (" not null" if name in ("_file_id", "_row") else "")
                                   for name, kind in self.columns) + ", primary key (_file_id, _row)"
        # what the Celery peer's table holds: the fields with Stowage's types, beside the file id
        self.peer_columns = [[name, "text[]" if kind == "ARRAY" else kind] for name, kind in fields]


TIMESTAMP = "timestamp with time zone"
WIDE = Shape("wide", [("id", "bigint"), ("user_id", "bigint"), ("amount", "numeric"), ("price", "numeric"),
                      ("name", "text"), ("city", "text"), ("active", "boolean"), ("verified", "boolean"),
                      ("created_at", TIMESTAMP), ("updated_at", TIMESTAMP)])
NARROW = Shape("narrow", [("id", "bigint"), ("at", TIMESTAMP), ("dev", "text"), ("temp", "numeric"),
                          ("hum", "numeric"), ("ok", "boolean"), ("seq", "bigint"), ("site", "text"),
                          ("volt", "numeric"), ("state", "text")])
SMALL_FIELDS = [("id", "bigint"), ("order", "text"), ("sku", "text"), ("qty", "bigint"), ("price", "numeric"),
                ("paid", "boolean"), ("channel", "text"), ("at", TIMESTAMP)]
WORK_QUEUE = os.environ.get("STOWAGE_TOPOLOGY_PREFIX", "stowage") + ".work"

# The bars, each a ratio to a figure of the same run (or, for latency and CPU, a bound), never an absolute rate
# measured on another day: machines of one kind differ by 2-3x.
BAR = {"small_warm_vs_celery": 3.0, "small_cold_vs_celery": 1.0, "tabular_narrow_vs_copy": 0.80,
       "tabular_wide_vs_copy": 0.80, "large_vs_celery": 2.0, "jit_share_warm": 0.05, "status_get_cpu_ms": 1.0,
       "small_watched_vs_unwatched": 0.90, "upload_p50_ms": 30, "upload_p99_ms": 100}
WARM_AFTER_FILES = 20_000  # small files processed since the start before `warm` is measured
WATCHERS = 200

FULL = dict(lat_warmup=100, lat_rounds=200, one_warmup=50, one_rounds=200, stopped_warmup=100, stopped_rounds=200,
            small_files=2000, tab_files=50, tab_records=20_000, doc_files=2000, big_mib=200, status_reads=2000,
            warm_after=WARM_AFTER_FILES, analyzer_seconds=1.0, big_timeout=480)
QUICK = dict(lat_warmup=10, lat_rounds=30, one_warmup=10, one_rounds=30, stopped_warmup=5, stopped_rounds=20,
             small_files=400, tab_files=8, tab_records=5_000, doc_files=400, big_mib=20, status_reads=300,
             warm_after=2_000, analyzer_seconds=0.2, big_timeout=120)
REQUEST_FILES = 100  # files per upload request in `small` and `docs`
POLL_SECONDS = 0.1   # job polling while waiting for throughput scenarios
CLK = os.sysconf("SC_CLK_TCK")
RUN_LABEL = "run"  # the run's UTC timestamp, set by main


class BenchError(Exception):
    pass


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def parse_instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


# ---------------------------------------------------------------------------------------------------------------
# The API, over one persistent HTTP connection per Api object
# ---------------------------------------------------------------------------------------------------------------

class Api:
    def __init__(self, base_url):
        url = urllib.parse.urlparse(base_url)
        self.host, self.port = url.hostname, url.port or 80
        self.connection = None
        self.auth = {"Authorization": f"Bearer {api_key()}"}

    def call(self, method, path, body=None, headers=None, expect=(200,), timeout=600, parse=True):
        """(milliseconds, decoded JSON or, without `parse`, the bytes). Retries once when a kept-alive connection was
        closed by the server."""
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body, {**self.auth, **(headers or {})})
                response = self.connection.getresponse()
                payload = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if response.will_close:
                self.close()
            if response.status not in expect:
                raise BenchError(f"{method} {path}: {response.status} {payload[:300]!r}")
            return elapsed, (json.loads(payload) if payload else None) if parse else payload
        raise AssertionError("unreachable")

    def upload(self, files, dataset):
        content_type, body = multipart(files, {"dataset": dataset})
        return self.upload_body(content_type, body)

    def upload_body(self, content_type, body, path="/api/v1/jobs"):
        elapsed, job = self.call("POST", path, body, {"Content-Type": content_type}, expect=(202,))
        return elapsed, job["jobId"]

    def job(self, job_id):
        return self.call("GET", f"/api/v1/jobs/{job_id}")[1]

    def poll(self, path, etag):
        """A GET as a polling client sends it, with the entity tag it has (if any); the tag to send next time."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.connection.request("GET", path, headers={**self.auth, **({"If-None-Match": etag} if etag else {})})
        response = self.connection.getresponse()
        response.read()
        if response.will_close:
            self.close()
        if response.status not in (200, 304):
            raise BenchError(f"GET {path}: {response.status}")
        return response.getheader("ETag") or etag

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def await_jobs(api, job_ids, timeout, interval=POLL_SECONDS):
    """Polls the unfinished jobs one at a time (about 10 requests a second) until all have ended; their views."""
    pending = list(job_ids)
    finished = {}
    deadline = time.monotonic() + timeout
    while pending:
        job = api.job(pending[0])
        if job["finishedAt"]:
            finished[pending.pop(0)] = job
            continue
        if time.monotonic() > deadline:
            raise BenchError(f"{len(pending)} jobs not finished after {timeout} s; first: {job['progress']}")
        time.sleep(interval)
    return [finished[j] for j in job_ids]


def summarize_jobs(jobs, started_epoch):
    """Counts of files by status and storage, records, and the seconds from `started_epoch` to the last end."""
    statuses, storages, records, errors = {}, {}, 0, []
    for job in jobs:
        for f in job["files"]:
            statuses[f["status"]] = statuses.get(f["status"], 0) + 1
            storages[f["storage"] or "none"] = storages.get(f["storage"] or "none", 0) + 1
            records += f["records"] or 0
            if f["error"] and len(errors) < 3:
                errors.append(f"{f['name']}: {f['error'][:200]}")
    last_end = max(parse_instant(job["finishedAt"]) for job in jobs)
    return {"file_statuses": statuses, "storages": storages, "records": records, "errors": errors,
            "seconds": round(last_end - started_epoch, 3),
            "job_statuses": sorted({job["status"] for job in jobs})}


def upload_all(base_url, requests, dataset, connections, json_body=False, on_accept=None):
    """Sends the requests (lists of (name, bytes)) back to back over `connections` persistent connections: as
    multipart, or (json_body, one file per request) as a plain application/json body named by ?name=; each job id
    is handed to `on_accept` as it comes. Returns (epoch when the first was sent, job ids in order, per-request ms,
    seconds until the last 202)."""
    if json_body:
        bodies = [("application/json", files[0][1],
                   f"/api/v1/jobs?name={urllib.parse.quote(files[0][0])}&dataset={dataset}") for files in requests]
    else:
        bodies = [multipart(files, {"dataset": dataset}) for files in requests]
    job_ids = [None] * len(bodies)
    latencies = [None] * len(bodies)

    def sender(index_offset):
        api = Api(base_url)
        for i in range(index_offset, len(bodies), connections):
            latencies[i], job_ids[i] = api.upload_body(*bodies[i])
            if on_accept:
                on_accept(job_ids[i])
        api.close()

    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(connections) as pool:
        for future in [pool.submit(sender, c) for c in range(connections)]:
            future.result()
    return started, job_ids, latencies, round(time.time() - started, 3)


# ---------------------------------------------------------------------------------------------------------------
# Processes: CPU per process group, RSS sampling, the stack
# ---------------------------------------------------------------------------------------------------------------

def read_pid(name):
    try:
        with open(os.path.join(RUN, f"{name}.pid")) as f:
            pid = int(f.read().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def stack_pids():
    pids = {"gateway": read_pid("gateway")}
    for name in sorted(os.listdir(RUN)) if os.path.isdir(RUN) else []:
        if name.startswith("worker-") and name.endswith(".pid"):
            pids[name[:-4]] = read_pid(name[:-4])
    return {k: v for k, v in pids.items() if v}


def proc_stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        data = f.read()
    fields = data[data.rindex(")") + 2:].split()
    return int(fields[1]), [int(x) for x in fields[11:15]]  # ppid; utime, stime, cutime, cstime


def proc_status(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def compiler_ticks(pid):
    """CPU ticks of a JVM's JIT compiler threads (C1, C2): part of its own, shown apart in the CPU table."""
    ticks = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/stat") as f:
                data = f.read()
        except OSError:
            continue  # the thread ended
        if "CompilerThre" in data[data.index("(") + 1:data.rindex(")")]:
            ticks += sum(int(x) for x in data[data.rindex(")") + 2:].split()[11:13])
    return ticks


def cpu_snapshot():
    """CPU ticks per group: the stack's JVMs, PostgreSQL (live processes + what its postmaster reaped),
    RabbitMQ, this benchmark with its children (psql, analyzer.sh), and the whole machine."""
    groups = {"jit": 0}
    for name, pid in stack_pids().items():
        try:
            groups[name] = sum(proc_stat(pid)[1][:2])
            groups["jit"] += compiler_ticks(pid)
        except OSError:
            pass
    postgres = rabbit = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/comm") as f:
                comm = f.read().strip()
            if comm in ("postgres", "beam.smp", "erl_child_setup", "epmd", "inet_gethost"):
                ppid, times = proc_stat(entry)
                used = times[0] + times[1]
                if comm == "postgres":
                    with open(f"/proc/{ppid}/comm") as f:
                        if f.read().strip() != "postgres":  # the postmaster: add its reaped backends
                            used += times[2] + times[3]
                    postgres += used
                else:
                    rabbit += used
        except OSError:
            continue
    groups["postgres"], groups["rabbitmq"] = postgres, rabbit
    own = os.times()
    groups["bench"] = round((own.user + own.system + own.children_user + own.children_system) * CLK)
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    groups["machine"] = sum(cpu) - cpu[3] - cpu[4]  # all but idle and iowait
    groups["_wall"] = time.monotonic()
    return groups


def cpu_delta(before, after):
    wall = after["_wall"] - before["_wall"]
    seconds = {k: round((after[k] - before.get(k, after[k])) / CLK, 1) for k in after if k != "_wall"}
    seconds = {k: (v if v >= 0 else None) for k, v in seconds.items()}  # None: the process was restarted
    known = sum(v or 0 for k, v in seconds.items() if k not in ("machine", "jit"))  # jit is within the JVMs
    seconds["other"] = round(max(0.0, seconds["machine"] - known), 1)
    return {"wall_s": round(wall, 1), "cpu_s": seconds}


def settle(limit=30.0, interval=1.0, threshold=0.15, others=0.25):
    """Waits until the stack and PostgreSQL use less than `threshold` of a core over `interval` (the JIT and GC
    finish what the previous scenario left them) and processes outside the stack and the benchmark (other builds on
    the machine) less than `others`, at most `limit` seconds; the seconds waited, and whether it got quiet."""
    started = time.monotonic()
    stack = lambda snapshot: sum(v for k, v in snapshot.items()  # noqa: E731
                                 if k.startswith(("gateway", "worker-", "postgres")))
    rest = lambda snapshot: snapshot["machine"] - sum(v for k, v in snapshot.items()  # noqa: E731
                                                      if k not in ("machine", "_wall"))
    previous = cpu_snapshot()
    while time.monotonic() - started < limit:
        time.sleep(interval)
        current = cpu_snapshot()
        if ((stack(current) - stack(previous)) / CLK / interval < threshold
                and (rest(current) - rest(previous)) / CLK / interval < others):
            return round(time.monotonic() - started, 1), True
        previous = current
    return round(time.monotonic() - started, 1), False


class RssSampler:
    """Samples VmRSS of the stack's JVMs every 100 ms; the maximum per process, and VmHWM at the end."""

    def __init__(self):
        self.pids = stack_pids()
        self.peak = {name: 0 for name in self.pids}
        self.start_rss = {name: proc_status(pid, "VmRSS") for name, pid in self.pids.items()}
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stop_event.wait(0.1):
            for name, pid in self.pids.items():
                rss = proc_status(pid, "VmRSS")
                if rss:
                    self.peak[name] = max(self.peak[name], rss)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        self.thread.join()

    def report(self):
        mib = 1 << 20
        return {name: {"rss_start_mib": round((self.start_rss[name] or 0) / mib),
                       "rss_peak_sampled_mib": round(self.peak[name] / mib),
                       "vm_hwm_mib": round((proc_status(pid, "VmHWM") or 0) / mib),
                       "alive": proc_status(pid, "VmRSS") is not None}
                for name, pid in self.pids.items()}


def healthy(url):
    try:
        with urllib.request.urlopen(f"{url}/actuator/health", timeout=5) as response:
            return b'"UP"' in response.read()
    except OSError:
        return False


def start_stack(build, extra_env=None):
    # One tenant makes thousands of uploads a minute here (latency rounds, passes of 2,000 files): far past the
    # per-tenant quota a shared deployment wants, which is not what the benchmark measures.
    env = {"WORKERS": "1", "STOWAGE_TENANT_MAX_UPLOADS_PER_MINUTE": "1000000", **os.environ, **(extra_env or {})}
    log("starting the stack: deploy/local/run.sh" + ("" if build else " --no-build")
        + "".join(f" {k}={v}" for k, v in (extra_env or {}).items()))
    command = [os.path.join(ROOT, "deploy", "local", "run.sh")] + ([] if build else ["--no-build"])
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise BenchError(f"deploy/local/run.sh failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    # run.sh checks health by port: a stack started elsewhere (another checkout) on the same ports answers too,
    # while ours exited because the ports were taken. Measure only our own processes.
    time.sleep(2)
    pids = stack_pids()
    if "gateway" not in pids or not any(name.startswith("worker-") for name in pids):
        stop_stack()
        raise BenchError("the stack exited after starting (see run/*.log): are ports 8080-8082 taken by a stack"
                         " started from another checkout? Stop that one, or measure it with --no-start")


LOGS_SEEN = {}  # label -> counts, filled by keep_logs


def keep_logs(label):
    """Copies the stack's logs (run/*.log, which the next start overwrites) to run/bench-logs/<label>/ and
    counts their WARN and ERROR lines and OutOfMemoryErrors."""
    target = os.path.join(RUN, "bench-logs", label)
    os.makedirs(target, exist_ok=True)
    for name in sorted(os.listdir(RUN)) if os.path.isdir(RUN) else []:
        if name.endswith(".log"):
            shutil.copy(os.path.join(RUN, name), target)
            with open(os.path.join(RUN, name), errors="replace") as f:
                lines = f.read().splitlines()
            LOGS_SEEN.setdefault(label, {})[name] = {
                "WARN": sum(" WARN " in line for line in lines), "ERROR": sum(" ERROR " in line for line in lines),
                "OutOfMemoryError": sum("OutOfMemoryError" in line for line in lines)}
    return os.path.relpath(target, ROOT)


def stop_stack():
    log("stopping the stack: deploy/local/stop.sh")
    subprocess.run([os.path.join(ROOT, "deploy", "local", "stop.sh")], cwd=ROOT, capture_output=True)


def stop_workers():
    for name, pid in stack_pids().items():
        if name.startswith("worker-"):
            os.kill(pid, 15)
            for _ in range(80):
                if proc_status(pid, "VmRSS") is None:
                    break
                time.sleep(0.25)
            else:
                # As deploy/local/stop.sh does: a worker still there after 20 s would hold its port into `big`.
                log(f"{name} did not stop in 20 s; killed")
                os.kill(pid, 9)
                time.sleep(1)
            os.remove(os.path.join(RUN, f"{name}.pid"))


def purge_work_queue():
    """Through RabbitMQ's management API (guest/guest, localhost): the messages of a run without workers."""
    request = urllib.request.Request(f"http://127.0.0.1:15672/api/queues/%2F/{WORK_QUEUE}/contents", method="DELETE")
    request.add_header("Authorization", "Basic " + base64.b64encode(b"guest:guest").decode())
    try:
        urllib.request.urlopen(request, timeout=10).read()
    except OSError as e:
        log(f"could not purge {WORK_QUEUE}: {e}")


# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL through psql
# ---------------------------------------------------------------------------------------------------------------

def psql_args():
    return ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", os.environ.get("PGHOST", "127.0.0.1"),
            "-p", os.environ.get("PGPORT", "5432"), "-U", os.environ.get("PGUSER", "postgres"),
            "-d", os.environ.get("PGDATABASE", "postgres")]


def checkpoints():
    """Checkpoints PostgreSQL has made since its start (timed or requested)."""
    return int(psql("select checkpoints_timed + checkpoints_req from pg_stat_bgwriter"))


def psql(*commands, capture=True):
    args = psql_args() + ["-At"]
    for command in commands:
        args += ["-c", command]
    result = subprocess.run(args, capture_output=capture, text=True)
    if result.returncode != 0:
        raise BenchError(f"psql failed: {result.stderr.strip()[:500]}")
    return result.stdout.strip() if capture else ""


class AnalyzeStandIn:
    """Stands in for autovacuum's ANALYZE when the server runs with autovacuum off (as some test machines'
    PostgreSQL does: /etc/postgresql/15/main/conf.d/90-ci.conf). Without it nothing refreshes the planner's
    statistics, Stowage's queries stay planned for the nearly empty tables of the start, and the gateway's
    job-completion query (JobCompletions) becomes a nested loop over files x pending jobs that runs without pause.
    Every `interval` seconds, and when asked, it analyzes the tables of Stowage's and the datasets schema whose rows
    changed by more than autovacuum's default threshold (50 rows + 10 %) since their last analyze."""

    def __init__(self, interval=15.0):
        self.interval = interval
        self.runs = []
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.lock = threading.Lock()

    def needed(self):
        return psql("show autovacuum") == "off"

    def analyze(self):
        with self.lock:
            tables = psql("select format('%I.%I', schemaname, relname) from pg_stat_user_tables"
                          f" where schemaname in ('{DB_SCHEMA}', '{DATASETS_SCHEMA}')"
                          " and n_mod_since_analyze > 50 + 0.1 * greatest(n_live_tup, 0)").split()
            if tables:
                started = time.monotonic()
                psql("analyze " + ", ".join(tables))
                self.runs.append({"at": time.strftime("%H:%M:%S"), "tables": tables,
                                  "seconds": round(time.monotonic() - started, 2)})

    def loop(self):
        while not self.stop_event.wait(self.interval):
            try:
                self.analyze()
            except BenchError as e:
                log(f"analyze stand-in: {e}")

    def start(self):
        self.thread.start()

    def stop(self):
        self.stop_event.set()
        if self.thread.is_alive():
            self.thread.join()


def clean_database(vacuum):
    """Drops what earlier runs left: the bench datasets' tables, documents, catalog rows and jobs (default tenant),
    and the \\copy reference schema; with `vacuum` (only when AnalyzeStandIn keeps the statistics fresh: a VACUUM
    of nearly empty tables leaves the planner believing them empty) it also reclaims their space. Tables that do
    not exist yet (a database the gateway never migrated) are passed over."""
    log("cleaning up earlier bench data (datasets bench_*, schema bench_ref)")
    tables = psql(f"select tablename from pg_tables where schemaname = '{DATASETS_SCHEMA}'"
                  " and tablename like 'bench\\_%'").split()
    statements = [f'drop table if exists "{DATASETS_SCHEMA}"."{t}"' for t in tables if t]
    for table, where in ((f'"{DATASETS_SCHEMA}"._documents', "tenant = 'default' and dataset like 'bench\\_%'"),
                         (f'"{DB_SCHEMA}".dataset_columns', "tenant = 'default' and dataset like 'bench\\_%'"),
                         (f'"{DB_SCHEMA}".jobs', "tenant = 'default' and dataset like 'bench\\_%'")):
        statements.append(f"do $$ begin if to_regclass('{table}') is not null then"
                          f" delete from {table} where {where}; end if; end $$")
    psql(*statements, f"drop schema if exists {REF_SCHEMA} cascade")
    if vacuum:
        tables = psql("select string_agg(format('%I.%I', schemaname, tablename), ', ') from pg_tables"
                      f" where schemaname = '{DB_SCHEMA}' or (schemaname = '{DATASETS_SCHEMA}'"
                      " and tablename = '_documents')")
        if tables:
            psql(f"vacuum {tables}")


# ---------------------------------------------------------------------------------------------------------------
# Data, generated deterministically and cached in bench/.data
# ---------------------------------------------------------------------------------------------------------------

FIRST_NAMES = ["Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Ava", "Elijah", "Sophia", "Lucas", "Mia",
               "Mateo", "Zoë", "Björn", "Chloé", "José", "Aiko", "Wei", "Fatima", "Ngozi"]
LAST_NAMES = ["Smith", "García", "Müller", "Rossi", "Nowak", "Kowalski", "Silva", "Nguyen", "Kim", "Okafor",
              "Dubois", "Jensen", "O'Brien", "Novák", "Yilmaz", "Haddad", "Tanaka", "Ivanova", "Andersson", "Costa"]
CITIES = ["Berlin", "São Paulo", "Zürich", "New York", "Tokyo", "Lagos", "Paris", "Kraków", "Mumbai", "Toronto",
          "Sydney", "Reykjavík", "Cape Town", "Mexico City", "Seoul", "Istanbul", "Lima", "Oslo", "Nairobi", "Hanoi"]
EPOCH_2023 = 1_672_531_200


def instant(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def tabular_rows(rng, first_id, count):
    """(JSON text, CSV line) of `count` records of the wide shape: id, user_id (bigint), amount, price (decimals),
    name, city (text), active, verified (boolean), created_at, updated_at (ISO-8601 instants); ~200 bytes each."""
    for i in range(first_id, first_id + count):
        user = rng.randrange(1, 1_000_000)
        amount = repr(round(rng.uniform(0.01, 10_000), 2))
        price = repr(round(rng.uniform(0.5, 500), 2))
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        city = rng.choice(CITIES)
        active = "true" if rng.random() < 0.7 else "false"
        verified = "true" if rng.random() < 0.4 else "false"
        created = EPOCH_2023 + rng.randrange(0, 3 * 365 * 86400)
        created_at, updated_at = instant(created), instant(created + rng.randrange(0, 30 * 86400))
        yield (f'{{"id":{i},"user_id":{user},"amount":{amount},"price":{price},"name":"{name}",'
               f'"city":"{city}","active":{active},"verified":{verified},"created_at":"{created_at}",'
               f'"updated_at":"{updated_at}"}}',
               f'{i},{user},{amount},{price},"{name}",{city},{active},{verified},{created_at},{updated_at}\n')


def narrow_rows(rng, first_id, count):
    """(JSON text, CSV line) of `count` sensor readings of 10 short fields, ~140 bytes each: id, seq (bigint), at
    (instant), dev, site, state (short text), temp, hum, volt (decimals), ok (boolean)."""
    for i in range(first_id, first_id + count):
        at = instant(EPOCH_2023 + rng.randrange(0, 3 * 365 * 86400))
        dev, site = f"d{rng.randrange(1000):03d}", f"s{rng.randrange(50)}"
        temp, hum, volt = repr(round(rng.uniform(-20, 45), 2)), repr(round(rng.uniform(5, 99), 1)), \
            repr(round(rng.uniform(2.9, 3.6), 3))
        ok = "true" if rng.random() < 0.95 else "false"
        seq, state = rng.randrange(10**6), rng.choice(["on", "off", "idle"])
        yield (f'{{"id":{i},"at":"{at}","dev":"{dev}","temp":{temp},"hum":{hum},"ok":{ok},"seq":{seq},'
               f'"site":"{site}","volt":{volt},"state":"{state}"}}',
               f'{i},{at},{dev},{temp},{hum},{ok},{seq},{site},{volt},{state}\n')


ROWS = {"wide": tabular_rows, "narrow": narrow_rows}


def cached(name, generate):
    """bench/.data/<name>, generated by generate(directory) the first time (a marker file says it completed)."""
    directory = os.path.join(DATA, name)
    if not os.path.exists(os.path.join(directory, ".complete")):
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
        started = time.monotonic()
        generate(directory)
        open(os.path.join(directory, ".complete"), "w").close()
        log(f"generated bench/.data/{name} in {time.monotonic() - started:.1f} s")
    return directory


def tabular_data(shape, files, records, csv_parts=4):
    """`files` JSON arrays of `records` records of the shape each, and the same rows as `csv_parts` CSV files."""
    def generate(directory):
        rng = random.Random(8)
        total = files * records
        parts = [open(os.path.join(directory, f"part-{p}.csv"), "w", encoding="utf-8") for p in range(csv_parts)]
        row = 0
        for f in range(files):
            lines = []
            # The CSV rows carry what Stowage adds to each row: a file id and the record's index in its file.
            file_id = uuid.UUID(int=f + 1)
            for index, (text, line) in enumerate(ROWS[shape.name](rng, f * records + 1, records)):
                lines.append(text)
                parts[row * csv_parts // total].write(f"{file_id},{index},{line}")
                row += 1
            with open(os.path.join(directory, f"{shape.name}-{f:03d}.json"), "w", encoding="utf-8") as out:
                out.write("[\n" + ",\n".join(lines) + "\n]\n")
        for part in parts:
            part.close()
    return cached(f"{shape.name}-{files}x{records}", generate)


def big_file(mib):
    """One JSON array of flat records (the tabular columns) of at least `mib` MiB."""
    def generate(directory):
        rng = random.Random(200)
        target, written, first = mib << 20, 2, 1
        with open(os.path.join(directory, f"big-{mib}mib.json"), "w", encoding="utf-8") as out:
            out.write("[\n")
            while written < target:
                chunk = ",\n".join(text for text, _ in tabular_rows(rng, first, 10_000))
                out.write(("" if first == 1 else ",\n") + chunk)
                written += len(chunk.encode()) + 2
                first += 10_000
            out.write("\n]\n")
    return os.path.join(cached(f"big-{mib}mib", generate), f"big-{mib}mib.json")


def small_data(count):
    """`count` files of 10 flat records, about 1.5 KB each."""
    def generate(directory):
        rng = random.Random(2)
        for i in range(count):
            rows = [{"id": i * 10 + r, "order": f"ord-{rng.randrange(10**7):07d}", "sku": f"sku-{rng.randrange(10**5):05d}",
                     "qty": rng.randrange(1, 20), "price": round(rng.uniform(1, 300), 2), "paid": rng.random() < 0.8,
                     "channel": rng.choice(["web", "app", "store", "phone"]),
                     "at": instant(EPOCH_2023 + rng.randrange(0, 3 * 365 * 86400))} for r in range(10)]
            with open(os.path.join(directory, f"orders-{i:05d}.json"), "w") as out:
                json.dump(rows, out)
    return cached(f"small-{count}", generate)


def docs_data(count):
    """`count` files, each one nested JSON object of about 2 KB (so each is stored as one JSONB document)."""
    def generate(directory):
        rng = random.Random(4)
        for i in range(count):
            placed = EPOCH_2023 + rng.randrange(0, 3 * 365 * 86400)
            doc = {
                "order_id": f"ord-{i:07d}", "placed_at": instant(placed), "status": rng.choice(["new", "paid", "sent"]),
                "customer": {"id": rng.randrange(10**6), "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                             "email": f"user{rng.randrange(10**6)}@example.org", "vip": rng.random() < 0.1,
                             "address": {"street": f"{rng.randrange(1, 200)} Main Street", "city": rng.choice(CITIES),
                                         "zip": f"{rng.randrange(10**5):05d}", "geo": {"lat": round(rng.uniform(-60, 60), 5),
                                                                                      "lon": round(rng.uniform(-180, 180), 5)}}},
                "items": [{"sku": f"sku-{rng.randrange(10**5):05d}", "title": f"Item {rng.randrange(10**4)} deluxe edition",
                           "qty": rng.randrange(1, 5), "price": round(rng.uniform(1, 300), 2),
                           "tags": rng.sample(["red", "blue", "sale", "new", "eco", "gift", "bulk", "xl"], 3),
                           "dimensions": {"w": rng.randrange(1, 100), "h": rng.randrange(1, 100), "unit": "cm"}}
                          for _ in range(6)],
                "payment": {"method": rng.choice(["card", "paypal", "invoice"]), "currency": "EUR",
                            "amount": round(rng.uniform(10, 2000), 2), "captured": rng.random() < 0.9},
                "shipping": {"carrier": rng.choice(["DHL", "UPS", "PostNL"]), "tracking": f"TRK{rng.randrange(10**10):010d}",
                             "events": [{"at": instant(placed + 3600 * (k + 1)), "status": s, "location": rng.choice(CITIES)}
                                        for k, s in enumerate(["label", "picked up", "in transit"])]},
                "notes": "Leave at the door if nobody answers. " * 6,
            }
            with open(os.path.join(directory, f"doc-{i:05d}.json"), "w", encoding="utf-8") as out:
                json.dump(doc, out, ensure_ascii=False)
    return cached(f"docs-{count}", generate)


def read_files(directory, suffix=".json"):
    names = sorted(n for n in os.listdir(directory) if n.endswith(suffix))
    contents = []
    for name in names:
        with open(os.path.join(directory, name), "rb") as f:
            contents.append((name, f.read()))
    return contents


# ---------------------------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------------------------

def latency_rounds(api, files, dataset, warmup, rounds, wait, poll=0.025):
    """Upload latencies (ms) of `rounds` uploads after `warmup`; with `wait`, each job ends before the next upload."""
    content_type, body = multipart(files, {"dataset": dataset})
    latencies, finish = [], []
    for r in range(warmup + rounds):
        sent = time.time()
        elapsed, job_id = api.upload_body(content_type, body)
        if wait:
            while True:
                job = api.job(job_id)
                if job["finishedAt"]:
                    break
                time.sleep(poll)
            if job["status"] != "DONE":
                raise BenchError(f"latency job {job_id} ended {job['status']}: {job['files'][0]['error']}")
        if r >= warmup:
            latencies.append(elapsed)
            if wait:
                finish.append(parse_instant(job["finishedAt"]) - sent)
    figures = {"rounds": rounds, "warmup": warmup, "files_per_request": len(files),
               "file_bytes": len(files[0][1]), "request_bytes": len(body),
               **{f"p{p}_ms": round(percentile(latencies, p), 1) for p in (50, 95, 99)},
               "max_ms": round(max(latencies), 1)}
    if finish:
        figures["job_finished_p50_s"] = round(percentile(finish, 50), 3)
        figures["job_finished_p95_s"] = round(percentile(finish, 95), 3)
    return figures


def latency_files(count):
    rng = random.Random(7)
    return [(f"lat-{i:04d}.json", generate_file(i, 4096 // 105, rng)) for i in range(count)]


def scenario_latency(args, sizes):
    api = Api(args.url)
    result = {}
    log(f"latency: 1 file of 4 KB, {sizes['one_warmup']} warm-up + {sizes['one_rounds']} rounds, workers idle")
    result["one_file"] = latency_rounds(api, latency_files(1), "bench_latency_one",
                                        sizes["one_warmup"], sizes["one_rounds"], wait=True)
    log(f"latency: 100 files of 4 KB, {sizes['lat_warmup']} warm-up + {sizes['lat_rounds']} rounds, workers idle")
    result["hundred_files"] = latency_rounds(api, latency_files(100), "bench_latency",
                                             sizes["lat_warmup"], sizes["lat_rounds"], wait=True)
    api.close()
    return result


def scenario_latency_stopped(args, sizes):
    log("latency: stopping the workers for the gateway-alone figure")
    stop_workers()
    api = Api(args.url)
    try:
        result = latency_rounds(api, latency_files(100), "bench_latency_stopped",
                                sizes["stopped_warmup"], sizes["stopped_rounds"], wait=False)
    finally:
        api.close()
        purge_work_queue()
        psql(f"delete from \"{DB_SCHEMA}\".jobs where tenant = 'default' and dataset = 'bench_latency_stopped'")
    return result


SMALL_SINCE_START = [0]  # small files this run sent to the stack since it started it (cold, warm, watched)


def requests_of(directory, per_request):
    files = read_files(directory)
    return files, [files[i:i + per_request] for i in range(0, len(files), per_request)]


class Watchers:
    """`count` clients that each read one job of the pass (round robin over the jobs uploaded so far) once a second,
    as people watching progress do, until stopped."""

    def __init__(self, url, count):
        self.url, self.count = url, count
        self.jobs = []
        self.reads = 0
        self.failures = []
        self.stop_event = threading.Event()
        self.threads = [threading.Thread(target=self.watch, args=(i,), daemon=True) for i in range(count)]

    def watch(self, index):
        api = Api(self.url)
        etags = {}
        next_read = time.monotonic() + index / self.count  # spread over the second
        while not self.stop_event.is_set():
            delay = next_read - time.monotonic()
            if delay > 0 and self.stop_event.wait(delay):
                break
            next_read += 1.0
            if self.jobs:
                # read as a polling client reads: sending the entity tag of the view it has, so that an unchanged
                # job answers 304 without a body (and nothing of a body parsed here: the client's CPU)
                job = self.jobs[index % len(self.jobs)]
                try:
                    etags[job] = api.poll(f"/api/v1/jobs/{job}", etags.get(job))
                    self.reads += 1
                except (BenchError, OSError, http.client.HTTPException) as e:
                    self.failures.append(str(e)[:120])
        api.close()

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        for thread in self.threads:
            thread.join()


def one_pass(args, requests, dataset, timeout, json_body=False, watchers=0):
    """Sends the requests into `dataset` and waits for every job; the figures of the pass, CPU included."""
    psql("checkpoint")
    settle(limit=10.0)
    cpu_before = cpu_snapshot()
    checkpoints_before = checkpoints()
    api = Api(args.url)
    with Watchers(args.url, watchers) as watching:
        on_accept = watching.jobs.append if watchers else None
        started, job_ids, latencies, upload_seconds = upload_all(
            args.url, requests, dataset, args.connections, json_body, on_accept)
        summary = summarize_jobs(await_jobs(api, job_ids, timeout), started)
    api.close()
    cpu = cpu_delta(cpu_before, cpu_snapshot())
    summary.update(cpu=cpu, jit_share=round((cpu["cpu_s"]["jit"] or 0) / max(cpu["cpu_s"]["machine"] or 0, 0.01), 3),
                   checkpoints_during=checkpoints() - checkpoints_before, upload_seconds=upload_seconds,
                   upload_p50_ms=round(percentile(latencies, 50), 1), upload_max_ms=round(max(latencies), 1))
    if watchers:
        summary["watcher_reads"] = watching.reads
        summary["watcher_failures"] = len(watching.failures)
        if watching.failures:
            summary["problem"] = f"{len(watching.failures)} watcher reads failed, e.g. {watching.failures[0]}"
    return summary


def measured(args, files, requests, dataset, timeout, label, json_body=False, warm_up=True, passes=None,
             watchers=0):
    """A warm-up pass (unless not asked for), then `passes` measured passes, each into a dataset of its own right
    after a checkpoint; the median pass is the figure, with the others beside it. One pass on a 2-core machine varies
    by 10-20 %, enough to flip a verdict either way."""
    passes = passes or args.passes
    total_bytes = sum(len(c) for _, c in files)
    log(f"{label}: {len(files)} files ({total_bytes / 1e6:.1f} MB) in {len(requests)} requests, "
        f"{args.connections} connection(s)" + (f", {watchers} watchers" if watchers else ""))
    first = None
    if warm_up:
        first = one_pass(args, requests, dataset + "_warmup", timeout, json_body)
    runs = [one_pass(args, requests, dataset if n == 0 else f"{dataset}_{n + 1}", timeout, json_body, watchers)
            for n in range(passes)]
    summary = sorted(runs, key=lambda p: p["seconds"])[len(runs) // 2]
    summary.update(files=len(files), bytes=total_bytes, requests=len(requests),
                   files_per_request=len(requests[0]), files_per_s=round(len(files) / summary["seconds"], 1),
                   passes_seconds=[p["seconds"] for p in runs],
                   passes_files_per_s=[round(len(files) / p["seconds"], 1) for p in runs],
                   passes_jit_share=[p["jit_share"] for p in runs],
                   mb_per_s=round(total_bytes / 1e6 / summary["seconds"], 2))
    if first:
        summary.update(first_pass_seconds=first["seconds"],
                       first_pass_files_per_s=round(len(files) / first["seconds"], 1))
    unfinished = [p["file_statuses"] for p in runs if p["file_statuses"] != {"DONE": len(files)}]
    if unfinished:
        summary["problem"] = f"not every file DONE: {unfinished} {summary['errors']}"
    return summary


def small_pass_figures(args, sizes, label, dataset, warm_up, passes=None, watchers=0):
    files, requests = requests_of(small_data(sizes["small_files"]), REQUEST_FILES)
    result = measured(args, files, requests, dataset, 600, label, warm_up=warm_up, passes=passes, watchers=watchers)
    SMALL_SINCE_START[0] += len(files) * (len(result["passes_seconds"]) + (1 if warm_up else 0))
    if result["storages"] != {"SQL": result["files"]}:
        result["problem"] = f"expected every file SQL: {result['storages']}"
    return result


def scenario_cold(args, sizes):
    if args.no_start or SMALL_SINCE_START[0]:
        return {"skipped": "needs a stack this run started and that has stored nothing yet: run without --no-start"}
    result = small_pass_figures(args, sizes, "cold: the first small files after the start", "bench_cold", False, 1)
    result["since_start"] = SMALL_SINCE_START[0]
    return result


def scenario_warm(args, sizes):
    files, requests = requests_of(small_data(sizes["small_files"]), REQUEST_FILES)
    missing = sizes["warm_after"] - SMALL_SINCE_START[0]
    if missing > 0:
        log(f"warm: {missing} small files more first, to {sizes['warm_after']} since the start")
        api = Api(args.url)
        while SMALL_SINCE_START[0] < sizes["warm_after"]:
            started, job_ids, _, _ = upload_all(args.url, requests, "bench_warming", args.connections)
            await_jobs(api, job_ids, 600)
            SMALL_SINCE_START[0] += len(files)
        api.close()
    result = small_pass_figures(args, sizes, "warm", "bench_warm", False)
    result["since_start_before"] = SMALL_SINCE_START[0] - len(files) * len(result["passes_seconds"])
    return result


def scenario_watched(args, sizes):
    result = small_pass_figures(args, sizes, "watched", "bench_watched", False, watchers=WATCHERS)
    result["watchers"] = WATCHERS
    return result


def scenario_status(args, sizes):
    """GET of one 100-file job, again and again over one connection: the CPU of the stack per read (the
    benchmark's own client left out, and shown beside it)."""
    files, requests = requests_of(small_data(sizes["small_files"]), REQUEST_FILES)
    api = Api(args.url)
    _, job_id = api.upload(requests[0], "bench_status")
    await_jobs(api, [job_id], 120)
    reads = sizes["status_reads"]
    result = {"files_in_job": len(requests[0]), "reads": reads}
    for _ in range(3 * reads):  # the path compiled before it is measured: a job is read again and again
        api.job(job_id)
    settle(limit=10.0)
    before = cpu_snapshot()
    started = time.monotonic()
    for _ in range(reads):
        body = api.job(job_id)
    seconds = time.monotonic() - started
    cpu = cpu_delta(before, cpu_snapshot())
    api.close()
    machine_s, client_s = cpu["cpu_s"]["machine"] or 0, cpu["cpu_s"]["bench"] or 0
    result.update(cpu=cpu, reads_per_s=round(reads / seconds), body_bytes=len(json.dumps(body)),
                  cpu_ms_per_read=round(1000 * max(machine_s - client_s, 0) / reads, 3),
                  machine_cpu_ms_per_read=round(1000 * machine_s / reads, 3),
                  client_cpu_ms_per_read=round(1000 * client_s / reads, 3))
    return result


def tabular(args, sizes, shape):
    directory = tabular_data(shape, sizes["tab_files"], sizes["tab_records"])
    files, requests = requests_of(directory, 1)
    table = f"bench_{shape.name}"
    with RssSampler() as rss:
        # One file per request as a plain JSON body, as a client sending large files one by one would: multipart
        # parsing of 4 MB parts costs the gateway about as much again.
        result = measured(args, files, requests, table, 1200, shape.name, json_body=True)
    result["rss"] = rss.report()
    rows = int(psql(f'select count(*) from "{DATASETS_SCHEMA}".{table}'))
    expected = sizes["tab_files"] * sizes["tab_records"]
    result.update(rows=rows, rows_per_s=round(rows / result["seconds"]),
                  passes_rows_per_s=[round(rows / seconds) for seconds in result["passes_seconds"]],
                  first_pass_rows_per_s=round(rows / result["first_pass_seconds"]))
    result["columns"] = psql(
        "select string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position)"
        f" from information_schema.columns where table_schema = '{DATASETS_SCHEMA}' and table_name = '{table}'")
    equivalent = ", ".join(f"{name} {kind}" for name, kind in shape.columns)
    if rows != expected:
        result["problem"] = f"{rows} rows in the table, {expected} expected"
    elif result["columns"] != equivalent:
        result["problem"] = f"the \\copy reference table no longer matches Stowage's: {result['columns']}"
    elif result["storages"] != {"SQL": result["files"]}:
        result["problem"] = f"expected every file SQL: {result['storages']}"
    return result


def scenario_narrow(args, sizes):
    return tabular(args, sizes, NARROW)


def scenario_wide(args, sizes):
    return tabular(args, sizes, WIDE)


def scenario_docs(args, sizes):
    files, requests = requests_of(docs_data(sizes["doc_files"]), REQUEST_FILES)
    result = measured(args, files, requests, "bench_docs", 600, "docs")
    if result["storages"] != {"JSONB": result["files"]}:
        result["problem"] = f"expected every file JSONB: {result['storages']}"
    return result


def scenario_copy(args, sizes):
    """The rows of `narrow` and `wide` through psql's \\copy into equivalent tables, one session loading the CSV
    parts one after the other (the median of `passes` loads, each after a truncate and a checkpoint)."""
    result = {}
    for shape in (NARROW, WIDE):
        directory = tabular_data(shape, sizes["tab_files"], sizes["tab_records"])
        parts = sorted(os.path.join(directory, n) for n in os.listdir(directory) if n.endswith(".csv"))
        rows = sizes["tab_files"] * sizes["tab_records"]
        table = f"{REF_SCHEMA}.{shape.name}"
        psql(f"create schema if not exists {REF_SCHEMA}", f"drop table if exists {table}",
             f"create table {table} ({shape.table_ddl})")
        copies = [f"\\copy {table} ({', '.join(shape.csv_columns)}) from '{part}' with (format csv)"
                  for part in parts]
        loads = []
        for _ in range(args.passes):
            psql(f"truncate {table}", "checkpoint")
            log(f"copy: {shape.name}, 1 session, {len(parts)} CSV parts one after the other")
            started = time.monotonic()
            psql(*copies)
            seconds = time.monotonic() - started
            counted = int(psql(f"select count(*) from {table}"))
            if counted != rows:
                raise BenchError(f"copy {shape.name}: {counted} rows copied, {rows} expected")
            loads.append({"seconds": round(seconds, 3), "rows_per_s": round(rows / seconds)})
        median = sorted(loads, key=lambda r: r["seconds"])[len(loads) // 2]
        result[shape.name] = {**median, "rows": rows, "table": shape.table_ddl,
                              "passes_rows_per_s": [r["rows_per_s"] for r in loads],
                              "csv_bytes": sum(os.path.getsize(p) for p in parts)}
    return result


PEER = os.path.join(BENCH, "peers", "celery", "peer.py")
PEER_PYTHON = "/usr/bin/python3"  # Debian's, where python3-celery and python3-psycopg2 are installed


def scenario_peer(args, sizes):
    """The Celery peer on the small, narrow and wide files (bench/peers/celery/README.md)."""
    check = subprocess.run([PEER_PYTHON, "-c", "import celery, psycopg2"], capture_output=True)
    if check.returncode != 0:
        raise BenchError("the Celery peer needs Debian's python3-celery and python3-psycopg2:"
                         " apt-get install python3-celery python3-psycopg2")
    workloads = [{"name": "small", "dir": small_data(sizes["small_files"]), "per_request": REQUEST_FILES,
                  "columns": [[n, k] for n, k in SMALL_FIELDS], "passes": args.passes}]
    for shape in (NARROW, WIDE):
        workloads.append({"name": shape.name, "dir": tabular_data(shape, sizes["tab_files"], sizes["tab_records"]),
                          "per_request": 1, "columns": shape.peer_columns, "passes": args.passes})
    log(f"peer: Celery on {', '.join(w['name'] for w in workloads)} ({args.passes} passes each after a warm-up)")
    output = subprocess.run([PEER_PYTHON, PEER], input=json.dumps(workloads), capture_output=True, text=True,
                            env={**os.environ, "PEER_DSN": " ".join(f"{k}={v}" for k, v in (
                                ("host", os.environ.get("PGHOST", "127.0.0.1")),
                                ("port", os.environ.get("PGPORT", "5432")),
                                ("user", os.environ.get("PGUSER", "postgres")),
                                ("dbname", os.environ.get("PGDATABASE", "postgres"))))})
    if output.returncode != 0:
        raise BenchError(f"the Celery peer failed: {output.stderr[-1500:]}")
    result = {}
    for line in output.stdout.splitlines():
        figures = json.loads(line)
        result[figures.pop("name")] = figures
    return result


def scenario_analyzer(args, sizes):
    extra = [tabular_data(WIDE, sizes["tab_files"], sizes["tab_records"]),
             tabular_data(NARROW, sizes["tab_files"], sizes["tab_records"]), small_data(sizes["small_files"]),
             docs_data(sizes["doc_files"])]
    log(f"analyzer: bench/analyzer.sh {sizes['analyzer_seconds']} on the corpora and the generated files")
    command = [os.path.join(BENCH, "analyzer.sh"), str(sizes["analyzer_seconds"])] + extra
    output = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if output.returncode != 0:
        raise BenchError(f"analyzer.sh failed: {output.stderr[-1000:]}")
    result = {"seconds_per_file": sizes["analyzer_seconds"], "lines": output.stdout.splitlines()}
    for line in result["lines"]:
        if line.startswith("all files (bytes-weighted)"):
            result["corpora_mb_per_s"] = float(line.split()[-1])
        for key, name in (("wide", "wide-"), ("narrow", "narrow-"), ("small", "small-"), ("docs", "docs-")):
            match = re.match(r"\S*" + name + r"\S* \(\d+ files\)\s+(\d+)\s+([\d.]+)\s+(\S+)", line)
            if match:
                result[f"{key}_mb_per_s"] = float(match.group(2))
                result[f"{key}_decision"] = match.group(3)
    return result


def scenario_big(args, sizes):
    path = big_file(sizes["big_mib"])
    size = os.path.getsize(path)
    settings = {"WORKER_JAVA_OPTS": "-Xmx256m", "STOWAGE_UPLOAD_MAX_FILE_SIZE": "300MB",
                "STOWAGE_UPLOAD_MAX_REQUEST_SIZE": "1GB"}
    keep_logs(f"{RUN_LABEL}-main")
    stop_stack()
    start_stack(build=False, extra_env=settings)
    with open(path, "rb") as f:
        content_type, body = multipart([(os.path.basename(path), f.read())], {"dataset": "bench_big"})
    result = {"file_bytes": size, "settings": settings}
    api = Api(args.url)
    result["settled_after_start_s"], result["quiet_after_start"] = settle()
    result["_cpu_before"] = cpu_snapshot()  # the processes of the restarted stack
    log(f"big: uploading {size / (1 << 20):.0f} MiB to workers with -Xmx256m")
    with RssSampler() as rss:
        sent = time.time()
        elapsed, job_id = api.upload_body(content_type, body)
        result["upload_ms"] = round(elapsed)
        deadline = time.monotonic() + sizes["big_timeout"]
        while True:
            job = api.job(job_id)
            if job["finishedAt"] or time.monotonic() > deadline:
                break
            if not any(name.startswith("worker-") and info for name, info in
                       ((n, proc_status(p, "VmRSS")) for n, p in rss.pids.items())):
                break
            time.sleep(0.5)
    api.close()
    result["rss"] = rss.report()
    f = job["files"][0]
    row = psql(f"select status, coalesce(error_class, ''), attempts from \"{DB_SCHEMA}\".files"
               f" where id = '{f['fileId']}'").split("|")
    result.update(status=row[0], error_class=row[1] or None, attempts=int(row[2]), records=f["records"],
                  storage=f["storage"], file_error=(f["error"] or "")[:300] or None)
    if job["finishedAt"]:
        result["seconds"] = round(parse_instant(job["finishedAt"]) - sent, 1)
    else:
        result["seconds"] = None
        result["problem"] = f"not finished after {sizes['big_timeout']} s (status {row[0]})"
    logs = {}
    for name in sorted(os.listdir(RUN)):
        if name.startswith("worker-") and name.endswith(".log"):
            with open(os.path.join(RUN, name), errors="replace") as log_file:
                text = log_file.read()
            logs[name] = {"OutOfMemoryError": text.count("OutOfMemoryError"), "ERROR": text.count(" ERROR ")}
    result["worker_logs"] = logs
    result["worker_log_lines"] = [line[:300] for name in sorted(os.listdir(RUN))
                                  if name.startswith("worker-") and name.endswith(".log")
                                  for line in open(os.path.join(RUN, name), errors="replace").read().splitlines()
                                  if " WARN " in line or " ERROR " in line][:10]
    return result


# ---------------------------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------------------------

def fmt_passes(median, passes, warm_up=None):
    """The median pass, the spread of the passes and the warm-up: `2,050 (1,980-2,120; warm-up 1,724)`."""
    notes = [f"{fmt_int(min(passes))}-{fmt_int(max(passes))}"] if len(passes) > 1 else []
    if warm_up is not None:
        notes.append(f"warm-up {fmt_int(warm_up)}")
    return fmt_int(median) + (f" ({'; '.join(notes)})" if notes else "")


def fmt_int(value):
    return f"{value:,.0f}" if value is not None else "–"


def ratios(results):
    """Every verdict as a ratio between figures of this run (or a bound on CPU and latency): key -> value."""
    s = results["scenarios"]
    ok = lambda name: name in s and "error" not in s[name] and "skipped" not in s[name]  # noqa: E731
    peer = s["peer"] if ok("peer") else {}
    out = {}
    if ok("warm") and "small" in peer:
        out["small_warm_vs_celery"] = s["warm"]["files_per_s"] / peer["small"]["files_per_s"]
    if ok("cold") and "small" in peer:
        out["small_cold_vs_celery"] = s["cold"]["files_per_s"] / peer["small"]["files_per_s"]
    for shape in ("narrow", "wide"):
        if ok(shape) and ok("copy"):
            out[f"tabular_{shape}_vs_copy"] = s[shape]["rows_per_s"] / s["copy"][shape]["rows_per_s"]
    if ok("wide") and "wide" in peer:
        out["large_vs_celery"] = s["wide"]["rows_per_s"] / peer["wide"]["rows_per_s"]
    if ok("warm"):
        out["jit_share_warm"] = s["warm"]["jit_share"]
    if ok("cold"):
        out["jit_share_cold"] = s["cold"]["jit_share"]
    if ok("status"):
        out["status_get_cpu_ms"] = s["status"]["cpu_ms_per_read"]
    if ok("watched") and ok("warm"):
        out["small_watched_vs_unwatched"] = s["watched"]["files_per_s"] / s["warm"]["files_per_s"]
    return {k: round(v, 3) for k, v in out.items()}


def verdict(key, value):
    if key not in BAR:
        return ""
    bound_above = key in ("jit_share_warm", "status_get_cpu_ms")
    return "meets" if (value <= BAR[key] if bound_above else value >= BAR[key]) else "MISSES"


def table_rows(results):
    """(scenario, figure, Stowage, same-run reference, ratio and bar, verdict)."""
    rows = []
    s = results["scenarios"]
    r = results["ratios"]
    peer = s.get("peer", {}) if "error" not in s.get("peer", {}) else {}

    def failed(name):
        if s.get(name, {}).get("error"):
            rows.append((name, "failed", s[name]["error"][:60], "", "", "ERROR"))
            return True
        if s.get(name, {}).get("skipped"):
            rows.append((name, "skipped", s[name]["skipped"][:60], "", "", ""))
            return True
        return name not in s

    def ratio_cell(key, text=None):
        if key not in r:
            return "–", ""
        bound = BAR.get(key)
        shown = text or f"{r[key]:.2f}x"
        sign = "<=" if key in ("jit_share_warm", "status_get_cpu_ms") else ">="
        return (f"{shown} ({sign} {bound})" if bound is not None else shown), verdict(key, r[key])

    def peer_files(name):
        return f"Celery {fmt_int(peer[name]['files_per_s'])} files/s" if name in peer else "–"

    for name, label in (("cold", "small, cold: first 2,000 after start"), ("warm", "small, warm: after 20,000"),
                        ("watched", f"small, warm, {WATCHERS} watching")):
        if failed(name):
            continue
        sm = s[name]
        rows.append((label, "files/s", fmt_passes(sm["files_per_s"], sm["passes_files_per_s"]),
                     peer_files("small") if name != "watched" else f"unwatched {fmt_int(s['warm']['files_per_s'])}"
                     if "warm" in s and "files_per_s" in s["warm"] else "–",
                     *ratio_cell({"cold": "small_cold_vs_celery", "warm": "small_warm_vs_celery",
                                  "watched": "small_watched_vs_unwatched"}[name])))
        key = {"cold": "jit_share_cold", "warm": "jit_share_warm"}.get(name)
        if key:
            share = f"{sm['jit_share']:.0%}"
            cell, judged = ratio_cell(key, share) if key in BAR else (share, "")
            rows.append((f"  JIT compilers' share of CPU ({name})", "share", share, "–", cell, judged))
    if not failed("status"):
        st = s["status"]
        rows.append((f"status read of a {st['files_in_job']}-file job", "CPU ms / read (stack)",
                     f"{st['cpu_ms_per_read']:.2f} ({fmt_int(st['reads_per_s'])} reads/s, 1 client)",
                     f"client {st['client_cpu_ms_per_read']:.2f}", *ratio_cell("status_get_cpu_ms",
                                                                               f"{st['cpu_ms_per_read']:.2f} ms")))
    copy = s.get("copy", {}) if "error" not in s.get("copy", {}) else {}
    for shape in ("narrow", "wide"):
        if failed(shape):
            continue
        tb = s[shape]
        ref = f"\\copy {fmt_int(copy[shape]['rows_per_s'])}" if shape in copy else "–"
        rows.append((f"{shape} {tb['files']} x {tb['rows'] // tb['files']:,} rows", "rows/s",
                     fmt_passes(tb["rows_per_s"], tb["passes_rows_per_s"], tb.get("first_pass_rows_per_s")),
                     ref, *ratio_cell(f"tabular_{shape}_vs_copy", f"{r[f'tabular_{shape}_vs_copy']:.0%}"
                                      if f"tabular_{shape}_vs_copy" in r else None)))
        if shape == "wide":
            rows.append(("large (wide) vs the Celery peer", "rows/s", fmt_int(tb["rows_per_s"]),
                         f"Celery {fmt_int(peer['wide']['rows_per_s'])}" if "wide" in peer else "–",
                         *ratio_cell("large_vs_celery")))
            peaks = [v["rss_peak_sampled_mib"] for k, v in tb["rss"].items() if k.startswith("worker-")]
            rows.append(("  worker peak RSS during wide", "MiB (each worker)", " / ".join(str(p) for p in peaks),
                         "–", "", ""))
    if not failed("docs"):
        dc = s["docs"]
        rows.append((f"documents {dc['files']} x {dc['bytes'] / dc['files'] / 1000:.1f} KB", "files/s",
                     fmt_passes(dc["files_per_s"], dc["passes_files_per_s"], dc.get("first_pass_files_per_s")), "–",
                     "", "JSONB" if dc["storages"] == {"JSONB": dc["files"]} else f"{dc['storages']}"))
    if not failed("latency"):
        one, hundred = s["latency"]["one_file"], s["latency"]["hundred_files"]
        rows.append(("upload 1 x 4 KB, idle", "p50 / p95 / p99 ms",
                     f"{one['p50_ms']:.0f} / {one['p95_ms']:.0f} / {one['p99_ms']:.0f}", "–", "", ""))
        ok = hundred["p50_ms"] <= BAR["upload_p50_ms"] and hundred["p99_ms"] <= BAR["upload_p99_ms"]
        rows.append(("upload 100 x 4 KB, idle", "p50 / p95 / p99 ms",
                     f"{hundred['p50_ms']:.0f} / {hundred['p95_ms']:.0f} / {hundred['p99_ms']:.0f}", "–",
                     "p50 <= 30, p99 <= 100", "meets" if ok else "MISSES"))
    if "latency_stopped" in s and not failed("latency_stopped"):
        st = s["latency_stopped"]
        ok = st["p50_ms"] <= BAR["upload_p50_ms"] and st["p99_ms"] <= BAR["upload_p99_ms"]
        rows.append(("upload 100 x 4 KB, no workers", "p50 / p95 / p99 ms",
                     f"{st['p50_ms']:.0f} / {st['p95_ms']:.0f} / {st['p99_ms']:.0f}", "–",
                     "p50 <= 30, p99 <= 100", "meets" if ok else "MISSES"))
    if not failed("big"):
        bg = s["big"]
        peaks = [v["rss_peak_sampled_mib"] for k, v in bg["rss"].items() if k.startswith("worker-")]
        outcome = bg["status"] + (f" ({bg['error_class']})" if bg["error_class"] else "")
        when = f"{bg['seconds']} s" if bg["seconds"] is not None else "not finished"
        rows.append((f"one {bg['file_bytes'] / (1 << 20):.0f} MiB file, -Xmx256m", "outcome, time, peak RSS",
                     f"{outcome}, {when}, {max(peaks)} MiB", "–", "DONE in a 256 MB heap",
                     "meets" if bg["status"] == "DONE" else "MISSES"))
    if not failed("analyzer"):
        an = s["analyzer"]
        rows.append(("analyzer, corpora", "MB/s, 1 thread", f"{an.get('corpora_mb_per_s', '?')}", "–", "", ""))
        for key in ("narrow", "wide", "small", "docs"):
            if f"{key}_mb_per_s" in an:
                rows.append((f"analyzer, {key} files", "MB/s, 1 thread", f"{an[key + '_mb_per_s']}", "–", "",
                             an.get(f"{key}_decision", "")))
    return rows


def render(rows, header=("scenario", "figure", "Stowage", "same-run reference", "ratio (bar)", "verdict")):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return lines


def cpu_rows(results):
    groups = ["gateway", "worker-1", "worker-2", "jit", "postgres", "rabbitmq", "bench", "other"]
    rows = []
    for name, entry in results["scenarios"].items():
        cpu = entry.get("cpu") if isinstance(entry, dict) else None
        if not cpu:
            continue
        wall = cpu["wall_s"] or 1
        rows.append((name, f"{cpu['wall_s']}",
                     *["–" if cpu["cpu_s"].get(g) is None else
                       f"{cpu['cpu_s'][g]:.1f} ({cpu['cpu_s'][g] / wall:.0%})" for g in groups]))
    header = ["CPU s (share of one core)", "wall s", *groups]
    header[header.index("jit")] = "of which JIT"
    lines = render(rows, tuple(header)) if rows else []
    busy = [name for name, entry in results["scenarios"].items()
            if entry.get("cpu") and (entry["cpu"]["cpu_s"].get("other") or 0) > 0.25 * max(entry["cpu"]["wall_s"], 1)]
    if busy:
        lines.append(f"note: processes outside the stack and the benchmark used over a quarter of a core during "
                     f"{', '.join(busy)}: those figures are disturbed")
    return lines


# ---------------------------------------------------------------------------------------------------------------

def machine():
    info = {"cores": os.cpu_count(), "kernel": platform.release(), "python": platform.python_version()}
    with open("/proc/meminfo") as f:
        info["memory_gib"] = round(int(f.readline().split()[1]) / (1 << 20), 1)
    with open("/proc/cpuinfo") as f:
        info["cpu"] = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), None)
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    info["java"] = java[0] if java else None
    try:
        info["postgresql"] = psql("show server_version")
    except BenchError:
        pass
    try:
        request = urllib.request.Request("http://127.0.0.1:15672/api/overview")
        request.add_header("Authorization", "Basic " + base64.b64encode(b"guest:guest").decode())
        info["rabbitmq"] = json.loads(urllib.request.urlopen(request, timeout=5).read())["rabbitmq_version"]
    except (OSError, ValueError, KeyError):
        pass
    git = lambda *a: subprocess.run(["git", "-C", ROOT, *a], capture_output=True, text=True).stdout.strip()  # noqa
    info["commit"] = git("rev-parse", "--short", "HEAD")
    info["dirty"] = bool(git("status", "--porcelain", "--untracked-files=no"))
    return info


def run_scenario(name, runner, args, sizes):
    """One scenario, with the CPU each process used in it (a throughput scenario gives its median pass's)."""
    settled = settle() if stack_pids() else (0.0, True)
    before = cpu_snapshot()
    try:
        entry = runner(args, sizes)
    except (BenchError, OSError, subprocess.SubprocessError, KeyError, ValueError) as e:
        log(f"{name}: FAILED: {e}")
        entry = {"error": str(e)}
    if "cpu" not in entry:
        entry["cpu"] = cpu_delta(entry.pop("_cpu_before", before), cpu_snapshot())
    entry["settled_before_s"], entry["quiet_before"] = settled
    if "problem" in entry:
        log(f"{name}: PROBLEM: {entry['problem']}")
    log(f"{name}: done in {entry['cpu']['wall_s']} s")
    return entry


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--quick", action="store_true", help="scaled-down sizes: a smoke run of a minute or two")
    parser.add_argument("--only", help="comma-separated scenarios: " + ",".join(SCENARIOS))
    parser.add_argument("--no-start", action="store_true",
                        help="use the stack already running (skips `big` and the workers-stopped latency)")
    parser.add_argument("--no-build", action="store_true", help="start the jars already built")
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--no-analyze", action="store_true",
                        help="no ANALYZE in place of autovacuum when the server has it off (see AnalyzeStandIn)")
    parser.add_argument("--connections", type=int, default=2, help="parallel upload connections (small, docs)")
    parser.add_argument("--passes", type=int, default=3,
                        help="measured passes per throughput scenario and of the one-session \\copy; the median counts")
    args = parser.parse_args()
    if args.passes < 1:
        parser.error("--passes must be at least 1")
    selected = SCENARIOS if not args.only else [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in selected if s not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s) {unknown}; choose from {SCENARIOS}")
    sizes = QUICK if args.quick else FULL
    needs_stack = any(s in selected for s in ("cold", "warm", "watched", "status", "narrow", "wide", "docs",
                                               "latency"))
    started_stack = False
    stand_in = AnalyzeStandIn()
    when = datetime.datetime.now(datetime.timezone.utc)
    global RUN_LABEL
    RUN_LABEL = when.strftime("%Y%m%dT%H%M%SZ")
    results = {"benchmark": "suite", "when": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "quick": args.quick,
               "analyze_stand_in": False,
               "command": "bench/run.sh " + " ".join(sys.argv[1:]), "selected": selected, "sizes": sizes,
               "connections": args.connections, "machine": machine(), "scenarios": {}}
    log(f"Stowage benchmark suite ({'quick' if args.quick else 'full'}): {', '.join(selected)}")
    try:
        # Data first, so that generating it never overlaps a measurement.
        for shape in (NARROW, WIDE):
            if any(s in selected for s in (shape.name, "copy", "analyzer", "peer")):
                tabular_data(shape, sizes["tab_files"], sizes["tab_records"])
        small_data(sizes["small_files"])
        if "docs" in selected or "analyzer" in selected:
            docs_data(sizes["doc_files"])
        if "big" in selected:
            big_file(sizes["big_mib"])
        # The peer first, on the same services before the stack starts: nothing of Stowage's runs beside it, and
        # `cold` really is the first work after the start.
        if "peer" in selected:
            results["scenarios"]["peer"] = run_scenario("peer", scenario_peer, args, sizes)
        if needs_stack or "big" in selected:
            if args.no_start:
                if not healthy(args.url):
                    raise BenchError(f"no healthy stack at {args.url}: start it with deploy/local/run.sh")
            elif needs_stack:
                start_stack(build=not args.no_build)
                started_stack = True
            elif not args.no_build:
                subprocess.run(["mvn", "-B", "-q", "-DskipTests", "package"], cwd=ROOT, check=True)
        use_stand_in = not args.no_analyze and stand_in.needed()
        clean_database(vacuum=use_stand_in)
        if use_stand_in:
            log("PostgreSQL runs with autovacuum off: ANALYZE stands in for it (every 15 s and before each scenario)")
            results["analyze_stand_in"] = True
            stand_in.analyze()
            stand_in.start()
        results["stack_pids"] = stack_pids()

        plan = [s for s in selected if s not in ("big", "peer")]
        if "latency" in selected and not args.no_start:
            plan.append("latency_stopped")  # last but `big`: it stops the workers
        if "big" in selected:
            plan.append("big")
        runners = {"cold": scenario_cold, "warm": scenario_warm, "watched": scenario_watched,
                   "status": scenario_status, "narrow": scenario_narrow, "wide": scenario_wide, "docs": scenario_docs,
                   "latency": scenario_latency, "latency_stopped": scenario_latency_stopped, "copy": scenario_copy,
                   "analyzer": scenario_analyzer, "big": scenario_big}
        for name in plan:
            if name == "big" and args.no_start:
                results["scenarios"]["big"] = {"skipped": "needs its own stack (workers at -Xmx256m): run without"
                                                          " --no-start"}
                log("big: skipped with --no-start (it restarts the stack with -Xmx256m workers)")
                continue
            if stand_in.thread.is_alive():
                try:
                    stand_in.analyze()
                except BenchError as e:
                    log(f"analyze stand-in: {e}")
            results["scenarios"][name] = run_scenario(name, runners[name], args, sizes)
            if name == "big":
                started_stack = True  # it restarted the stack: stop it in any case
    finally:
        stand_in.stop()
        results["analyze_runs"] = stand_in.runs
        if started_stack:
            keep_logs(f"{RUN_LABEL}-{'big' if 'big' in results['scenarios'] else 'main'}")
            stop_stack()
        results["logs"] = {"copied_to": "run/bench-logs/", "counts": LOGS_SEEN}

    results["ratios"] = ratios(results)
    results["bars"] = BAR
    try:
        rows = table_rows(results)
        results["table"], results["cpu_table"] = render(rows), cpu_rows(results)
    except Exception as e:  # the measurements are kept whatever goes wrong in rendering them
        rows, results["table"], results["cpu_table"] = [], [f"could not render the table: {e!r}"], []
    print()
    print(f"Stowage benchmark suite, {results['when']}, commit {results['machine']['commit']}"
          f"{' (dirty)' if results['machine']['dirty'] else ''}, {results['machine']['cores']} cores,"
          f" {results['machine']['memory_gib']} GiB, {'quick' if args.quick else 'full'} sizes")
    print(f"machine: {results['machine']['cpu']}, {results['machine']['cores']} cores")
    print("\n".join(results["table"]))
    print()
    print("\n".join(results["cpu_table"]))
    print()
    print("ratios: " + ", ".join(f"{k} {v}" + (f" ({verdict(k, v)})" if k in BAR else "")
                                for k, v in results["ratios"].items()))
    for label, files in LOGS_SEEN.items():
        print(f"logs run/bench-logs/{label}/: " + ", ".join(
            f"{name} {c['WARN']} WARN {c['ERROR']} ERROR" + (f" {c['OutOfMemoryError']} OutOfMemoryError"
                                                            if c["OutOfMemoryError"] else "")
            for name, c in files.items()))
    os.makedirs(os.path.join(BENCH, "results"), exist_ok=True)
    path = os.path.join(BENCH, "results", when.strftime("%Y%m%dT%H%M%SZ") + (".quick" if args.quick else "") + ".json")
    with open(path, "w") as out:
        json.dump(results, out, indent=1, ensure_ascii=False)
    summary = {"benchmark": "suite", "when": results["when"], "quick": args.quick,
               "commit": results["machine"]["commit"], "file": os.path.relpath(path, BENCH),
               "ratios": results["ratios"], "figures": {row[0] + ": " + row[1]: row[2] for row in rows}}
    with open(os.path.join(BENCH, "results.jsonl"), "a") as out:
        out.write(json.dumps(summary, ensure_ascii=False) + "\n")
    print(f"\nresults: {os.path.relpath(path, ROOT)} (and a line in bench/results.jsonl)")
    return 1 if any(e.get("error") for e in results["scenarios"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
