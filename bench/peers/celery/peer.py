"""The Celery peer's uploader and stopwatch, run by bench/run.sh (Debian's python3: /usr/bin/python3).

    /usr/bin/python3 bench/peers/celery/peer.py < scenarios.json

Reads a list of scenarios on standard input, each {"name", "dir", "columns": [[name, sql type], ...],
"per_request", "passes"}, and for each prints one JSON line with the median pass and every pass. It starts the
worker of ingest.py (prefork, concurrency 4) on the same RabbitMQ and PostgreSQL as Stowage, and stops it at the
end. An upload is what a small web service in front of such a worker would do: the files of one request stored in
one transaction (table `peer.uploads`), then one task per file; two such uploaders send requests side by side, as
the Stowage benchmark's two connections do. A pass is timed from its first upload to the last file's `done_at`.
Before the measured passes one warm-up pass runs, as for Stowage.
"""
import json
import os
import statistics
import subprocess
import sys
import time
import uuid

import psycopg2

from ingest import app

HERE = os.path.dirname(os.path.abspath(__file__))
DSN = os.environ.get("PEER_DSN", "host=127.0.0.1 user=postgres dbname=postgres")
CLK = os.sysconf("SC_CLK_TCK")


def machine_ticks():
    with open("/proc/stat") as f:
        fields = f.readline().split()[1:]
    return sum(int(x) for x in fields[:8]), int(fields[3]) + int(fields[4])  # all, idle + iowait


def process_ticks(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total


def tree(pid):
    """The pid and its children (the prefork pool)."""
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        children.append(int(entry))
            except OSError:
                pass
    return [pid] + children


def setup(db, scenarios):
    with db, db.cursor() as cursor:
        cursor.execute("drop schema if exists peer cascade; create schema peer")
        cursor.execute("create table peer.uploads (id uuid primary key, name text not null, bytes bytea not null,"
                       " records bigint, created_at timestamptz not null default clock_timestamp(), done_at timestamptz)")
        cursor.execute("create table peer.documents (file_id uuid not null, doc jsonb not null)")
        for scenario in scenarios:
            columns = ", ".join(f'"{name}" {kind}' for name, kind in scenario["columns"])
            cursor.execute(f'create table peer."{scenario["name"]}" (file_id uuid not null, {columns})')


def stage(db, files, per_request):
    """The uploads, as a small web service in front of the worker would store them: a request's files in one
    transaction."""
    ids = [str(uuid.uuid4()) for _ in files]
    for i in range(0, len(files), per_request):
        with db, db.cursor() as cursor:
            cursor.executemany("insert into peer.uploads (id, name, bytes) values (%s, %s, %s)",
                               [(f, name, psycopg2.Binary(data)) for f, (name, data)
                                in zip(ids[i:i + per_request], files[i:i + per_request])])
    return ids


def one_pass(db, files, scenario):
    """Stages the files, then times the worker: from the first task sent to the last file done."""
    table = scenario["name"]
    with db, db.cursor() as cursor:
        cursor.execute(f'truncate peer.uploads, peer.documents, peer."{table}"')
    ids = stage(db, files, scenario["per_request"])
    with db, db.cursor() as cursor:
        cursor.execute("checkpoint")
    columns = [name for name, _ in scenario["columns"]]
    ticks_before, idle_before = machine_ticks()
    worker_before = process_ticks(tree(WORKER.pid))
    started = time.time()
    for file_id in ids:
        app.send_task("store", args=[file_id, table, columns])
    deadline = time.time() + 1800
    while True:
        with db, db.cursor() as cursor:
            cursor.execute("select count(done_at), coalesce(sum(records), 0), extract(epoch from max(done_at))"
                           " from peer.uploads")
            done, records, last = cursor.fetchone()
        if done == len(files):
            break
        if time.time() > deadline:
            raise SystemExit(f"peer: {table}: only {done} of {len(files)} files done after 30 min")
        time.sleep(0.05)
    ticks_after, idle_after = machine_ticks()
    seconds = float(last) - started
    return {"seconds": round(seconds, 3), "files_per_s": round(len(files) / seconds, 1),
            "rows_per_s": round(int(records) / seconds), "records": int(records),
            "worker_cpu_s": round((process_ticks(tree(WORKER.pid)) - worker_before) / CLK, 2),
            "machine_cpu_s": round(((ticks_after - ticks_before) - (idle_after - idle_before)) / CLK, 2)}


def read_files(directory):
    names = sorted(n for n in os.listdir(directory) if n.endswith(".json"))
    files = []
    for name in names:
        with open(os.path.join(directory, name), "rb") as f:
            files.append((name, f.read()))
    return files


def main():
    global WORKER
    scenarios = json.load(sys.stdin)
    db = psycopg2.connect(DSN)
    setup(db, scenarios)
    WORKER = subprocess.Popen([sys.executable, "-m", "celery", "-A", "ingest", "worker", "--pool", "prefork",
                               "--concurrency", "4", "--loglevel", "WARNING"], cwd=HERE,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        app.control.ping(timeout=1)  # connects the uploader's producer pool before the first pass
        for scenario in scenarios:
            files = read_files(scenario["dir"])
            one_pass(db, files, scenario)  # warm-up
            passes = [one_pass(db, files, scenario) for _ in range(scenario.get("passes", 3))]
            median = sorted(passes, key=lambda p: p["seconds"])[len(passes) // 2]
            print(json.dumps({"name": scenario["name"], "files": len(files), **median,
                              "passes_files_per_s": [p["files_per_s"] for p in passes],
                              "passes_rows_per_s": [p["rows_per_s"] for p in passes],
                              "median_of": len(passes), "spread": statistics.pstdev(p["seconds"] for p in passes)}),
                  flush=True)
    finally:
        WORKER.terminate()
        try:
            WORKER.wait(60)
        except subprocess.TimeoutExpired:
            WORKER.kill()
        with db, db.cursor() as cursor:
            cursor.execute("drop schema if exists peer cascade")
        db.close()


if __name__ == "__main__":
    main()
