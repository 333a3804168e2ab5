#!/usr/bin/env python3
"""The benchmark suite of issue 8: Stowage measured from outside, next to PostgreSQL's own COPY.

    bench/run.sh [--quick] [--only SCENARIO,...] [--no-start] [--no-build] [--passes N] [--url http://127.0.0.1:8080]

Scenarios, in the order they run (see bench/README.md for what each does):
    latency   upload acknowledgement p50/p95/p99 of 1 x 4 KB and 100 x 4 KB in one request, workers idle
              (each job finishes before the next upload); then, last before `big`, with the workers stopped
    small     2,000 files of ~1.5 KB (10 flat records) in 20 requests of 100 -> files/s, first upload to last DONE
    tabular   50 files x 20,000 flat records (10 columns) into one dataset -> rows/s and MB/s; worker peak RSS
    docs      2,000 nested ~2 KB documents (one object per file: JSONB) -> files/s
    copy      the same rows as `tabular` as CSV through psql's \\copy: one session, then four in parallel
    analyzer  bench/analyzer.sh on the corpora and on the generated files -> MB/s (one thread, no database)
    big       one 200 MiB file of flat records to a stack restarted with workers at -Xmx256m -> outcome, time, RSS

Unless --no-start, it starts the stack with deploy/local/run.sh (gateway + 2 workers x concurrency 4) and
stops it at the end. Generated data is cached in bench/.data/. Prints one table and writes
bench/results/<UTC timestamp>.json, and appends a line to bench/results.jsonl.
Standard library only; the API key comes from STOWAGE_API_KEY (default: the local key of deploy/local/run.sh),
PostgreSQL from PGHOST/PGPORT/PGUSER/PGDATABASE (default 127.0.0.1:5432, postgres, postgres).
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

SCENARIOS = ["latency", "small", "tabular", "docs", "copy", "analyzer", "big"]
DB_SCHEMA = os.environ.get("STOWAGE_DB_SCHEMA", "stowage")
DATASETS_SCHEMA = os.environ.get("STOWAGE_DATASETS_SCHEMA", "datasets")
REF_SCHEMA = "bench_ref"  # the \copy reference table lives here
# The \copy reference loads an equivalent table: the one Stowage creates for (3)'s files (SqlTableWriter), with
# its two row-identity columns, its types (decimals as exact numeric) and its primary key. The suite checks that
# Stowage's table still has these columns whenever both scenarios run.
EQUIVALENT_COLUMNS = [("_file_id", "uuid"), ("_row", "bigint"), ("id", "bigint"), ("user_id", "bigint"),
                      ("amount", "numeric"), ("price", "numeric"), ("name", "text"), ("city", "text"),
                      ("active", "boolean"), ("verified", "boolean"), ("created_at", "timestamp with time zone"),
                      ("updated_at", "timestamp with time zone"), ("_extra", "jsonb"), ("_absent", "ARRAY")]
TABULAR_CSV_COLUMNS = [name for name, _ in EQUIVALENT_COLUMNS if name not in ("_extra", "_absent")]
EQUIVALENT_TABLE = ", ".join(f"{name} {'text[]' if kind == 'ARRAY' else kind}"
                             + (" not null" if name in ("_file_id", "_row") else "")
                             for name, kind in EQUIVALENT_COLUMNS) + ", primary key (_file_id, _row)"
WORK_QUEUE = os.environ.get("STOWAGE_TOPOLOGY_PREFIX", "stowage") + ".work"

# The bars of issue 8 and the figures of the Celery 5.2 worker it replaces (concurrency 4, this machine kind).
CELERY = {"small_files_per_s": 670, "tabular_rows_per_s": 118_000}
COPY_REF = {"one_session_rows_per_s": 310_000, "four_sessions_rows_per_s": 546_000}
BAR = {"upload_p50_ms": 30, "upload_p99_ms": 100, "small_files_per_s": 2000, "tabular_share_of_copy": 0.80}

FULL = dict(lat_warmup=100, lat_rounds=200, one_warmup=50, one_rounds=200, stopped_warmup=100, stopped_rounds=200,
            small_files=2000, tab_files=50, tab_records=20_000, doc_files=2000, big_mib=200,
            analyzer_seconds=1.0, big_timeout=480)
QUICK = dict(lat_warmup=10, lat_rounds=30, one_warmup=10, one_rounds=30, stopped_warmup=5, stopped_rounds=20,
             small_files=400, tab_files=8, tab_records=5_000, doc_files=400, big_mib=20,
             analyzer_seconds=0.2, big_timeout=120)
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

    def call(self, method, path, body=None, headers=None, expect=(200,), timeout=600):
        """(milliseconds, decoded JSON). Retries once when a kept-alive connection was closed by the server."""
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
            return elapsed, json.loads(payload) if payload else None
        raise AssertionError("unreachable")

    def upload(self, files, dataset):
        content_type, body = multipart(files, {"dataset": dataset})
        return self.upload_body(content_type, body)

    def upload_body(self, content_type, body, path="/api/v1/jobs"):
        elapsed, job = self.call("POST", path, body, {"Content-Type": content_type}, expect=(202,))
        return elapsed, job["jobId"]

    def job(self, job_id):
        return self.call("GET", f"/api/v1/jobs/{job_id}")[1]

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


def upload_all(base_url, requests, dataset, connections, json_body=False):
    """Sends the requests (lists of (name, bytes)) back to back over `connections` persistent connections: as
    multipart, or (json_body, one file per request) as a plain application/json body named by ?name=.
    Returns (epoch when the first was sent, job ids in order, per-request ms, seconds until the last 202)."""
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
    env = {**os.environ, **(extra_env or {})}
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
    """Stands in for autovacuum's ANALYZE when the server runs with autovacuum off (as this machine kind's
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
    """(JSON text, CSV line) of `count` flat records with 10 columns: id, user_id (bigint), amount, price (double),
    name, city (text), active, verified (boolean), created_at, updated_at (ISO-8601 instants)."""
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


def tabular_data(files, records, csv_parts=4):
    """`files` JSON arrays of `records` rows each, and the same rows as `csv_parts` CSV files."""
    def generate(directory):
        rng = random.Random(8)
        total = files * records
        parts = [open(os.path.join(directory, f"part-{p}.csv"), "w", encoding="utf-8") for p in range(csv_parts)]
        row = 0
        for f in range(files):
            lines = []
            # The CSV rows carry what Stowage adds to each row: a file id and the record's index in its file.
            file_id = uuid.UUID(int=f + 1)
            for index, (text, line) in enumerate(tabular_rows(rng, f * records + 1, records)):
                lines.append(text)
                parts[row * csv_parts // total].write(f"{file_id},{index},{line}")
                row += 1
            with open(os.path.join(directory, f"events-{f:03d}.json"), "w", encoding="utf-8") as out:
                out.write("[\n" + ",\n".join(lines) + "\n]\n")
        for part in parts:
            part.close()
    return cached(f"tabular-v2-{files}x{records}", generate)


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


def throughput(args, directory, dataset, per_request, timeout, label, json_body=False):
    files = read_files(directory)
    requests = [files[i:i + per_request] for i in range(0, len(files), per_request)]
    total_bytes = sum(len(c) for _, c in files)
    log(f"{label}: {len(files)} files ({total_bytes / 1e6:.1f} MB) in {len(requests)} requests, "
        f"{args.connections} connection(s)")
    # Warm-up: the same requests once into a dataset of their own, so that the JIT has compiled this path while
    # the measured dataset is still new. A JVM that has just started is slower (a quarter of the requests was not
    # enough: the compilers still took a tenth of the workers' CPU in the measured part), and a worker runs for
    # days: the measured pass is the steady state. The warm-up pass is timed too, as `first_pass_seconds`.
    warm_started, warm_ids, _, _ = upload_all(args.url, requests, dataset + "_warmup", args.connections, json_body)
    api = Api(args.url)
    first_pass_seconds = summarize_jobs(await_jobs(api, warm_ids, timeout), warm_started)["seconds"]
    # Each measured pass starts right after a checkpoint, as each `\copy` reference load does: a checkpoint that
    # falls inside a pass (the warm-up and earlier scenarios write plenty of WAL) makes PostgreSQL log whole pages
    # again for every block it touches next, which the other side would not pay. Several passes, each into a
    # dataset of its own, and the median counts: one pass on this 2-core machine varies by 10-20 % (JIT compiling
    # still going on, the machine's neighbours), enough to flip a verdict either way.
    passes = []
    for n in range(args.passes):
        psql("checkpoint")
        settle(limit=10.0)
        cpu_before = cpu_snapshot()  # the measured part only
        checkpoints_before = checkpoints()
        started, job_ids, latencies, upload_seconds = upload_all(
            args.url, requests, dataset if n == 0 else f"{dataset}_{n + 1}", args.connections, json_body)
        summary = summarize_jobs(await_jobs(api, job_ids, timeout), started)
        summary.update(cpu=cpu_delta(cpu_before, cpu_snapshot()),
                       checkpoints_during=checkpoints() - checkpoints_before, upload_seconds=upload_seconds,
                       upload_p50_ms=round(percentile(latencies, 50), 1), upload_max_ms=round(max(latencies), 1))
        passes.append(summary)
    api.close()
    summary = sorted(passes, key=lambda p: p["seconds"])[len(passes) // 2]
    summary["passes_seconds"] = [p["seconds"] for p in passes]
    summary["first_pass_seconds"] = first_pass_seconds
    summary["first_pass_files_per_s"] = round(len(files) / first_pass_seconds, 1)
    summary.update(files=len(files), bytes=total_bytes, requests=len(requests), files_per_request=per_request,
                   files_per_s=round(len(files) / summary["seconds"], 1),
                   passes_files_per_s=[round(len(files) / p["seconds"], 1) for p in passes],
                   mb_per_s=round(total_bytes / 1e6 / summary["seconds"], 2))
    unfinished = [p["file_statuses"] for p in passes if p["file_statuses"] != {"DONE": len(files)}]
    if unfinished:
        summary["problem"] = f"not every file DONE: {unfinished} {summary['errors']}"
    return summary


def scenario_small(args, sizes):
    result = throughput(args, small_data(sizes["small_files"]), "bench_small", REQUEST_FILES, 600, "small")
    if result["storages"] != {"SQL": result["files"]}:
        result["problem"] = f"expected every file SQL: {result['storages']}"
    return result


def scenario_docs(args, sizes):
    result = throughput(args, docs_data(sizes["doc_files"]), "bench_docs", REQUEST_FILES, 600, "docs")
    if result["storages"] != {"JSONB": result["files"]}:
        result["problem"] = f"expected every file JSONB: {result['storages']}"
    return result


def scenario_tabular(args, sizes):
    directory = tabular_data(sizes["tab_files"], sizes["tab_records"])
    with RssSampler() as rss:
        # One file per request as a plain JSON body, as a client sending large files one by one would: multipart
        # parsing of 4 MB parts costs the gateway about as much again (bench/README.md).
        result = throughput(args, directory, "bench_tabular", 1, 1200, "tabular", json_body=True)
    result["rss"] = rss.report()
    rows = int(psql(f'select count(*) from "{DATASETS_SCHEMA}".bench_tabular'))
    expected = sizes["tab_files"] * sizes["tab_records"]
    result.update(rows=rows, rows_per_s=round(rows / result["seconds"]),
                  passes_rows_per_s=[round(rows / seconds) for seconds in result["passes_seconds"]],
                  first_pass_rows_per_s=round(rows / result["first_pass_seconds"]))
    result["columns"] = psql(
        "select string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position)"
        f" from information_schema.columns where table_schema = '{DATASETS_SCHEMA}' and table_name = 'bench_tabular'")
    equivalent = ", ".join(f"{name} {kind}" for name, kind in EQUIVALENT_COLUMNS)
    if rows != expected:
        result["problem"] = f"{rows} rows in the table, {expected} expected"
    elif result["columns"] != equivalent:
        result["problem"] = f"the \\copy reference table no longer matches Stowage's: {result['columns']}"
    elif result["storages"] != {"SQL": result["files"]}:
        result["problem"] = f"expected every file SQL: {result['storages']}"
    return result


def scenario_copy(args, sizes):
    directory = tabular_data(sizes["tab_files"], sizes["tab_records"])
    parts = sorted(os.path.join(directory, n) for n in os.listdir(directory) if n.endswith(".csv"))
    rows = sizes["tab_files"] * sizes["tab_records"]
    table = f"{REF_SCHEMA}.tabular"
    psql(f"create schema if not exists {REF_SCHEMA}", f"drop table if exists {table}",
         f"create table {table} ({EQUIVALENT_TABLE})")
    copies = [f"\\copy {table} ({', '.join(TABULAR_CSV_COLUMNS)}) from '{part}' with (format csv)"
              for part in parts]
    result = {"rows": rows, "table": EQUIVALENT_TABLE}

    def timed(label, run):
        psql(f"truncate {table}", "checkpoint")
        log(f"copy: {label}")
        started = time.monotonic()
        run()
        seconds = time.monotonic() - started
        counted = int(psql(f"select count(*) from {table}"))
        if counted != rows:
            raise BenchError(f"{label}: {counted} rows copied, {rows} expected")
        return {"seconds": round(seconds, 3), "rows_per_s": round(rows / seconds)}

    sessions = [timed("1 session, 4 CSV parts one after the other", lambda: psql(*copies)) for _ in range(args.passes)]
    result["one_session"] = sorted(sessions, key=lambda r: r["seconds"])[len(sessions) // 2]
    result["one_session"]["passes_rows_per_s"] = [r["rows_per_s"] for r in sessions]

    def parallel():
        processes = [subprocess.Popen(psql_args() + ["-c", c], stdout=subprocess.DEVNULL) for c in copies]
        if any(p.wait() != 0 for p in processes):
            raise BenchError("a parallel \\copy failed")
    result["four_sessions"] = timed(f"{len(copies)} sessions in parallel, one CSV part each", parallel)
    result["csv_bytes"] = sum(os.path.getsize(p) for p in parts)
    return result


def scenario_analyzer(args, sizes):
    extra = [tabular_data(sizes["tab_files"], sizes["tab_records"]), small_data(sizes["small_files"]),
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
        for key, name in (("tabular", "tabular-"), ("small", "small-"), ("docs", "docs-")):
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


def table_rows(results):
    """(scenario, figure, Stowage, bar of issue 8, Celery 5.2 / reference, verdict)."""
    rows = []
    s = results["scenarios"]

    def failed(name):
        if s.get(name, {}).get("error"):
            rows.append((name, "failed", s[name]["error"][:60], "", "", "ERROR"))
            return True
        return name not in s

    if not failed("latency"):
        one, hundred = s["latency"]["one_file"], s["latency"]["hundred_files"]
        rows.append(("1 upload 1 x 4 KB, idle", "p50 / p95 / p99 ms",
                     f"{one['p50_ms']:.0f} / {one['p95_ms']:.0f} / {one['p99_ms']:.0f}", "–", "–", ""))
        ok = hundred["p50_ms"] <= BAR["upload_p50_ms"] and hundred["p99_ms"] <= BAR["upload_p99_ms"]
        rows.append(("1 upload 100 x 4 KB, idle", "p50 / p95 / p99 ms",
                     f"{hundred['p50_ms']:.0f} / {hundred['p95_ms']:.0f} / {hundred['p99_ms']:.0f}",
                     "p50 <= 30, p99 <= 100", "–", "meets" if ok else "MISSES"))
    if "latency_stopped" in s:
        st = s["latency_stopped"]
        if "error" in st:
            rows.append(("1 upload 100 x 4 KB, no workers", "failed", st["error"][:60], "", "", "ERROR"))
        else:
            ok = st["p50_ms"] <= BAR["upload_p50_ms"] and st["p99_ms"] <= BAR["upload_p99_ms"]
            rows.append(("1 upload 100 x 4 KB, no workers", "p50 / p95 / p99 ms",
                         f"{st['p50_ms']:.0f} / {st['p95_ms']:.0f} / {st['p99_ms']:.0f}",
                         "p50 <= 30, p99 <= 100", "–", "meets" if ok else "MISSES"))
    if not failed("small"):
        sm = s["small"]
        rows.append((f"2 small {sm['files']} x {sm['bytes'] / sm['files'] / 1000:.1f} KB", "files/s",
                     fmt_passes(sm["files_per_s"], sm["passes_files_per_s"], sm["first_pass_files_per_s"]),
                     ">= 2,000", "~670",
                     ("meets" if sm["files_per_s"] >= BAR["small_files_per_s"] else "MISSES")
                     + (" (!)" if "problem" in sm else "")))
    copy_one = None
    if "copy" in s and "error" not in s["copy"]:
        copy_one = s["copy"]["one_session"]["rows_per_s"]
    if not failed("tabular"):
        tb = s["tabular"]
        bar = f">= 80% of \\copy = {fmt_int(0.8 * copy_one)}" if copy_one else ">= 80% of \\copy (1 session)"
        verdict = ("meets" if tb["rows_per_s"] >= BAR["tabular_share_of_copy"] * copy_one else "MISSES") \
            if copy_one else ""
        rows.append((f"3 tabular {tb['files']} x {tb['rows'] // tb['files']:,} rows", "rows/s",
                     fmt_passes(tb["rows_per_s"], tb["passes_rows_per_s"], tb["first_pass_rows_per_s"]), bar,
                     "~118,000", verdict + (" (!)" if "problem" in tb else "")))
        rows.append(("3 tabular", "MB/s of JSON", f"{tb['mb_per_s']:.1f}", "–", "–", ""))
        peaks = [v["rss_peak_sampled_mib"] for k, v in tb["rss"].items() if k.startswith("worker-")]
        rows.append(("6 worker peak RSS during (3)", "MiB (each worker)", " / ".join(str(p) for p in peaks),
                     "flat with file size", "–", ""))
    if not failed("docs"):
        dc = s["docs"]
        rows.append((f"4 documents {dc['files']} x {dc['bytes'] / dc['files'] / 1000:.1f} KB", "files/s",
                     fmt_passes(dc["files_per_s"], dc["passes_files_per_s"], dc["first_pass_files_per_s"]), "–", "–",
                     ("JSONB" if dc["storages"] == {"JSONB": dc["files"]} else f"{dc['storages']}")
                     + (" (!)" if "problem" in dc else "")))
    if not failed("copy"):
        cp = s["copy"]
        rows.append(("5 \\copy, 1 session", "rows/s", fmt_passes(cp["one_session"]["rows_per_s"],
                                                               cp["one_session"]["passes_rows_per_s"]),
                     "–", "~310,000", ""))
        rows.append(("5 \\copy, 4 sessions", "rows/s", fmt_int(cp["four_sessions"]["rows_per_s"]), "–", "~546,000",
                     ""))
        if "tabular" in s and "error" not in s["tabular"]:
            ratio = s["tabular"]["rows_per_s"] / cp["one_session"]["rows_per_s"]
            rows.append(("5 Stowage / \\copy (1 session)", "ratio", f"{ratio:.0%}", ">= 80%",
                         f"{CELERY['tabular_rows_per_s'] / COPY_REF['one_session_rows_per_s']:.0%}",
                         "meets" if ratio >= BAR["tabular_share_of_copy"] else "MISSES"))
    if not failed("big"):
        bg = s["big"]
        peaks = [v["rss_peak_sampled_mib"] for k, v in bg["rss"].items() if k.startswith("worker-")]
        outcome = bg["status"] + (f" ({bg['error_class']})" if bg["error_class"] else "")
        when = f"{bg['seconds']} s" if bg["seconds"] is not None else "not finished"
        rows.append((f"6 one {bg['file_bytes'] / (1 << 20):.0f} MiB file, -Xmx256m", "outcome, time, peak RSS",
                     f"{outcome}, {when}, {max(peaks)} MiB", "DONE in a 256 MB heap", "–",
                     "meets" if bg["status"] == "DONE" else "MISSES"))
    if not failed("analyzer"):
        an = s["analyzer"]
        rows.append(("7 analyzer, corpora", "MB/s, 1 thread", f"{an.get('corpora_mb_per_s', '?')}", "–", "–", ""))
        for key, label in (("tabular", "(3)'s files"), ("small", "(2)'s files"), ("docs", "(4)'s files")):
            if f"{key}_mb_per_s" in an:
                rows.append((f"7 analyzer, {label}", "MB/s, 1 thread", f"{an[key + '_mb_per_s']}", "–", "–",
                             an.get(f"{key}_decision", "")))
    return rows


def render(rows, header=("scenario", "figure", "Stowage", "bar (issue 8)", "Celery 5.2", "verdict")):
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
    needs_stack = any(s in selected for s in ("latency", "small", "tabular", "docs"))
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
        if any(s in selected for s in ("tabular", "copy", "analyzer")):
            tabular_data(sizes["tab_files"], sizes["tab_records"])
        if "small" in selected or "analyzer" in selected:
            small_data(sizes["small_files"])
        if "docs" in selected or "analyzer" in selected:
            docs_data(sizes["doc_files"])
        if "big" in selected:
            big_file(sizes["big_mib"])
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

        plan = [s for s in selected if s != "big"]
        if "latency" in selected and not args.no_start:
            plan.append("latency_stopped")  # last but `big`: it stops the workers
        if "big" in selected:
            plan.append("big")
        runners = {"latency": scenario_latency, "latency_stopped": scenario_latency_stopped, "small": scenario_small,
                   "tabular": scenario_tabular, "docs": scenario_docs, "copy": scenario_copy,
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
            settled = settle() if stack_pids() else (0.0, True)
            before = cpu_snapshot()
            try:
                entry = runners[name](args, sizes)
            except (BenchError, OSError, subprocess.SubprocessError, KeyError, ValueError) as e:
                log(f"{name}: FAILED: {e}")
                entry = {"error": str(e)}
            if "cpu" not in entry:  # a throughput scenario gives its median pass's
                entry["cpu"] = cpu_delta(entry.pop("_cpu_before", before), cpu_snapshot())
            entry["settled_before_s"], entry["quiet_before"] = settled
            results["scenarios"][name] = entry
            if "problem" in entry:
                log(f"{name}: PROBLEM: {entry['problem']}")
            log(f"{name}: done in {entry['cpu']['wall_s']} s")
            if name == "big":
                started_stack = True  # it restarted the stack: stop it in any case
    finally:
        stand_in.stop()
        results["analyze_runs"] = stand_in.runs
        if started_stack:
            keep_logs(f"{RUN_LABEL}-{'big' if 'big' in results['scenarios'] else 'main'}")
            stop_stack()
        results["logs"] = {"copied_to": "run/bench-logs/", "counts": LOGS_SEEN}

    try:
        rows = table_rows(results)
        results["table"], results["cpu_table"] = render(rows), cpu_rows(results)
    except Exception as e:  # the measurements are kept whatever goes wrong in rendering them
        rows, results["table"], results["cpu_table"] = [], [f"could not render the table: {e!r}"], []
    print()
    print(f"Stowage benchmark suite, {results['when']}, commit {results['machine']['commit']}"
          f"{' (dirty)' if results['machine']['dirty'] else ''}, {results['machine']['cores']} cores,"
          f" {results['machine']['memory_gib']} GiB, {'quick' if args.quick else 'full'} sizes")
    print("\n".join(results["table"]))
    print()
    print("\n".join(results["cpu_table"]))
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
               "figures": {row[0] + ": " + row[1]: row[2] for row in rows}}
    with open(os.path.join(BENCH, "results.jsonl"), "a") as out:
        out.write(json.dumps(summary, ensure_ascii=False) + "\n")
    print(f"\nresults: {os.path.relpath(path, ROOT)} (and a line in bench/results.jsonl)")
    return 1 if any(e.get("error") for e in results["scenarios"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
