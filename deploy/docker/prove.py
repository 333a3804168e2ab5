#!/usr/bin/env python3
"""Proves the container stack works, for real: docker-compose.yml (and deploy/docker/rabbitmq-cluster.yml) as
users run them, on the images of deploy/docker/build-images.sh. Run through deploy/docker/prove.sh (`stack`)
and deploy/docker/cluster-prove.sh (`cluster`); both print a table of what they checked and the figures, exit 1
on the first check that fails (with the containers' logs that explain it) and leave nothing behind.

  stack    3 workers; 500 files of mixed shapes through the gateway's published port; meanwhile one worker is
           killed while it holds files, the workers are scaled to 4 and one is stopped with SIGTERM; every file
           DONE with exactly its rows; Prometheus scrapes every replica and counts exactly the files processed;
           down -v leaves no container, network or volume.
  cluster  3 RabbitMQ nodes, every queue a quorum queue with 3 replicas; 1,000 files flow while the node that
           leads the work queue is stopped and started again; then the retry tiers and the dead-letter queue
           still work, and one paused node (a minority) does not stop the other two from serving.

Only the Python standard library, docker and docker compose (v2) or docker-compose (1.29).
"""
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
IMAGES_ENV = os.path.join(ROOT, "deploy", "docker", ".images.env")
CLUSTER_FILE = os.path.join(ROOT, "deploy", "docker", "rabbitmq-cluster.yml")
TENANT = "proof"


class ProofFailed(Exception):
    pass


def log(message):
    print(f"[prove] {message}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, condition, timeout, interval=1.0):
    """Polls condition() until it returns something truthy; fails naming what it waited for."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except (OSError, ValueError, KeyError, subprocess.SubprocessError, http.client.HTTPException) as e:
            last_error = e
        time.sleep(interval)
    raise ProofFailed(f"timed out after {timeout:.0f} s waiting for {what}" + (f" (last error: {last_error})" if last_error else ""))


# ---- the stack ------------------------------------------------------------------------------------------------

class Stack:
    """One compose project: its own name, credentials, host ports and images; down -v when done."""

    def __init__(self, name, cluster=False):
        self.project = f"{name}-{uuid.uuid4().hex[:6]}"
        self.cluster = cluster
        self.dir = tempfile.mkdtemp(prefix=f"{self.project}-")
        self.api_key = "proof-" + secrets.token_hex(16)
        self.gateway_port = free_port()
        self.prometheus_port = free_port()
        self.db_user = "stowage"
        self.db_name = "stowage"
        env = {
            "POSTGRES_DB": self.db_name,
            "POSTGRES_USER": self.db_user,
            "POSTGRES_PASSWORD": secrets.token_hex(16),
            "RABBITMQ_USER": "stowage",
            "RABBITMQ_PASSWORD": secrets.token_hex(16),
            "STOWAGE_API_KEYS": f"{self.api_key}={TENANT}:ADMIN",
            "GRAFANA_ADMIN_USER": "admin",
            "GRAFANA_ADMIN_PASSWORD": secrets.token_hex(16),
            "STOWAGE_GATEWAY_PORT": str(self.gateway_port),
            "STOWAGE_RABBITMQ_UI_PORT": str(free_port()),
            "STOWAGE_PROMETHEUS_PORT": str(self.prometheus_port),
            "STOWAGE_GRAFANA_PORT": str(free_port()),
        }
        env.update(read_env_file(IMAGES_ENV))
        if cluster:
            cookie = os.path.join(self.dir, "rabbitmq.cookie")
            with open(cookie, "w") as f:
                f.write(secrets.token_hex(32))
            os.chmod(cookie, 0o600)
            env["RABBITMQ_ERLANG_COOKIE_FILE"] = cookie
        self.env_file = os.path.join(self.dir, ".env")
        with open(self.env_file, "w") as f:
            f.writelines(f"{k}={v}\n" for k, v in env.items())
        self.compose_command = compose_command()

    def compose(self, *args, check=True, capture=True):
        files = ["-f", os.path.join(ROOT, "docker-compose.yml")]
        if self.cluster:
            files += ["-f", CLUSTER_FILE]
        command = self.compose_command + ["--project-directory", ROOT, "-p", self.project, "--env-file", self.env_file, *files, *args]
        result = subprocess.run(command, cwd=ROOT, text=True, capture_output=capture)
        if check and result.returncode != 0:
            raise ProofFailed(f"{' '.join(args[:3])} failed: {(result.stderr or '')[-2000:]}")
        return result

    def containers(self, service=None, running=True):
        """Container ids of the project (of one service), oldest first."""
        filters = ["--filter", f"label=com.docker.compose.project={self.project}"]
        if service:
            filters += ["--filter", f"label=com.docker.compose.service={service}"]
        ids = docker("ps", "-q", *([] if running else ["-a"]), *filters).split()
        return sorted(ids, key=lambda c: inspect(c, "{{.Created}}"))

    def await_healthy(self, timeout=300):
        def healthy():
            ids = self.containers(running=False)
            states = {c: inspect(c, "{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}") for c in ids}
            bad = [s for s in states.values() if not s.endswith(" running healthy")]
            if any(" exited" in s or " dead" in s for s in bad):
                raise ProofFailed(f"a container stopped while starting: {bad}")
            return ids if ids and not bad else None
        return wait_for("every container healthy", healthy, timeout, interval=2)

    def psql(self, sql):
        postgres = self.containers("postgres")[0]
        return docker("exec", postgres, "psql", "-U", self.db_user, "-d", self.db_name, "-v", "ON_ERROR_STOP=1", "-qAt", "-F", "\t", "-c", sql).strip()

    def rows(self, sql):
        out = self.psql(sql)
        return [line.split("\t") for line in out.splitlines() if line]

    def api(self, method, path, body=None, headers=None, timeout=60):
        connection = http.client.HTTPConnection("127.0.0.1", self.gateway_port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers={"Authorization": f"Bearer {self.api_key}", **(headers or {})})
            response = connection.getresponse()
            data = response.read()
            return response.status, json.loads(data) if data else None
        finally:
            connection.close()

    def upload(self, files, dataset):
        boundary = uuid.uuid4().hex
        parts = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"dataset\"\r\n\r\n{dataset}\r\n".encode()]
        for name, content in files:
            parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
                         f"Content-Type: application/json\r\n\r\n".encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        status, job = self.api("POST", "/api/v1/jobs", b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        if status != 202:
            raise ProofFailed(f"upload answered {status}: {job}")
        return job

    def prometheus(self, query):
        url = f"/api/v1/query?query={urllib.parse.quote(query)}"
        connection = http.client.HTTPConnection("127.0.0.1", self.prometheus_port, timeout=10)
        try:
            connection.request("GET", url)
            answer = json.loads(connection.getresponse().read())
        finally:
            connection.close()
        if answer.get("status") != "success":
            raise ProofFailed(f"Prometheus query {query} failed: {answer}")
        return answer["data"]["result"]

    def logs(self):
        result = self.compose("logs", "--no-color", "--tail=60", check=False)
        return (result.stdout or "") + (result.stderr or "")

    def down(self):
        self.compose("down", "-v", "--remove-orphans", "--timeout", "20", check=False)
        label = f"label=com.docker.compose.project={self.project}"
        left = {kind: docker(kind, "ls", "-q", "--filter", label).split() for kind in ("network", "volume")}
        left["container"] = docker("ps", "-aq", "--filter", label).split()
        shutil.rmtree(self.dir, ignore_errors=True)
        return {kind: ids for kind, ids in left.items() if ids}


def docker(*args, timeout=120):
    return subprocess.run(["docker", *args], check=True, text=True, capture_output=True, timeout=timeout).stdout


def inspect(container, template):
    return docker("inspect", "--format", template, container).strip()


def compose_command():
    if subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    raise ProofFailed("neither `docker compose` nor docker-compose is installed")


def read_env_file(path):
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return dict(line.strip().split("=", 1) for line in f if "=" in line and not line.startswith("#"))


# ---- files ----------------------------------------------------------------------------------------------------

def mixed_files(count, records):
    """(name, bytes, storage, stored rows) of `count` files cycling through five shapes users upload."""
    files = []
    for i in range(count):
        shape = i % 5
        n = records + (i % 7) * 13
        if shape == 0:  # an array of flat records: a typed table
            rows = [{"id": i * 10_000 + r, "name": f"item {r}", "price": r * 1.25, "ok": r % 2 == 0, "at": "2024-05-01T10:00:00Z"} for r in range(n)]
            files.append((f"orders-{i}.json", json.dumps(rows).encode(), "SQL", n))
        elif shape == 1:  # JSON Lines of records with a nested object: a table with flattened columns
            lines = "\n".join(json.dumps({"event": r, "user": {"name": f"u{r % 17}", "tags": ["a"] * (r % 3)}, "file": i}) for r in range(n))
            files.append((f"events-{i}.ndjson", lines.encode(), "SQL", n))
        elif shape == 2:  # records whose types drift: a table with the odd values in _extra
            rows = [{"id": r, "value": r if r % 10 else f"v{r}", "extra": {"deep": {"deeper": {"deepest": r}}}} for r in range(n)]
            files.append((f"drift-{i}.json", json.dumps(rows).encode(), "SQL", n))
        elif shape == 3:  # one nested document: JSONB
            doc = {"name": f"config {i}", "nodes": [{"id": r, "links": list(range(r % 4))} for r in range(n // 10)], "meta": {"version": i}}
            files.append((f"config-{i}.json", json.dumps(doc).encode(), "JSONB", 1))
        else:  # an array of scalars: one JSONB document
            files.append((f"series-{i}.json", json.dumps([r * 0.5 for r in range(n)]).encode(), "JSONB", 1))
    return files


class Uploads:
    """Uploads files in requests of `per_request` (retrying a 503 as a client would); remembers every file."""

    def __init__(self, stack, dataset):
        self.stack = stack
        self.dataset = dataset
        self.expected = {}  # fileId -> (name, storage, rows)
        self.jobs = []
        self.lock = threading.Lock()

    def send(self, files, per_request, pause=0.0):
        for start in range(0, len(files), per_request):
            chunk = files[start:start + per_request]
            job = wait_for("an accepted upload", lambda: self._try(chunk), 120, interval=1)
            with self.lock:
                self.jobs.append(job["jobId"])
                by_name = {name: (storage, rows) for name, _, storage, rows in chunk}
                for f in job["files"]:
                    self.expected[f["fileId"]] = (f["name"], *by_name[f["name"]])
            time.sleep(pause)

    def _try(self, chunk):
        try:
            return self.stack.upload([(name, content) for name, content, _, _ in chunk], self.dataset)
        except (OSError, http.client.HTTPException, ProofFailed) as e:
            log(f"upload not accepted yet ({e}); trying again")
            return None

    def in_background(self, files, per_request, pause=0.0):
        errors = []

        def run():
            try:
                self.send(files, per_request, pause)
            except Exception as e:  # reported by join()
                errors.append(e)
        thread = threading.Thread(target=run, daemon=True)
        thread.start()

        def join(timeout=600):
            thread.join(timeout)
            if thread.is_alive() or errors:
                raise ProofFailed(f"uploads did not finish: {errors or 'still running'}")
        return join

    def statuses(self):
        with self.lock:
            ids = list(self.expected)
        if not ids:
            return {}
        rows = self.stack.rows("select status, count(*) from stowage.files where id in (%s) group by 1" % ",".join(f"'{i}'" for i in ids))
        return {status: int(n) for status, n in rows}

    def await_ended(self, timeout):
        def ended():
            s = self.statuses()
            return s if sum(s.values()) == len(self.expected) and set(s) <= {"DONE", "FAILED"} else None
        return wait_for(f"all {len(self.expected)} files DONE or FAILED", ended, timeout, interval=2)

    def verify_rows(self):
        """Every file's stored rows (table rows or documents) against what it holds: the files not DONE, the DONE
        files with more or fewer rows than records, and the rows in all."""
        stored = {}
        for fid, n in self.stack.rows(f'select _file_id, count(*) from datasets__{TENANT}."{self.dataset}" group by 1'):
            stored[fid] = stored.get(fid, 0) + int(n)
        for fid, n in self.stack.rows(f"select _file_id, count(*) from datasets._documents where tenant = '{TENANT}' and dataset = '{self.dataset}' group by 1"):
            stored[fid] = stored.get(fid, 0) + int(n)
        done = {fid for fid, status in self.stack.rows("select id, status from stowage.files where job_id in (%s)" % ",".join(f"'{j}'" for j in self.jobs)) if status == "DONE"}
        lost = [fid for fid in self.expected if fid not in done]
        wrong = {fid: (self.expected[fid][0], self.expected[fid][2], stored.get(fid, 0)) for fid in done if stored.get(fid, 0) != self.expected[fid][2]}
        return lost, wrong, sum(stored.values())


# ---- checks ---------------------------------------------------------------------------------------------------

class Report:
    def __init__(self, title):
        self.title = title
        self.rows = []
        self.started = time.monotonic()

    def add(self, check, figure, ok=True):
        self.rows.append((check, figure, ok))
        log(f"{'ok    ' if ok else 'FAILED'} {check}: {figure}")
        if not ok:
            raise ProofFailed(f"{check}: {figure}")

    def print(self):
        width = max(len(r[0]) for r in self.rows) if self.rows else 10
        print(f"\n== {self.title} ({time.monotonic() - self.started:.0f} s)")
        for check, figure, ok in self.rows:
            print(f"  {'ok ' if ok else 'NO '} {check:<{width}}  {figure}")


def open_attempts_by_container(stack):
    """Worker containers (by id prefix) that hold files right now: attempts started and not ended."""
    held = {}
    for worker, n in stack.rows("select worker, count(*) from stowage.attempts where outcome is null group by 1"):
        held[worker.split(":")[0]] = int(n)
    return held


def attempts_by_outcome(stack, jobs):
    rows = stack.rows("select coalesce(a.outcome, 'open'), count(*) from stowage.attempts a join stowage.files f on f.id = a.file_id"
                      " where f.job_id in (%s) group by 1" % ",".join(f"'{j}'" for j in jobs))
    return {outcome: int(n) for outcome, n in rows}


def prove_stack(stack, report):
    started = time.monotonic()
    stack.compose("up", "-d", "--scale", "worker=3", "rabbitmq", "postgres", "gateway", "worker", "prometheus")
    ids = stack.await_healthy()
    report.add("every container healthy", f"{len(ids)} containers ({len(stack.containers('worker'))} workers) in {time.monotonic() - started:.0f} s")
    for service in ("gateway", "worker"):
        container = stack.containers(service)[0]
        image = inspect(container, "{{.Config.Image}}")
        user = inspect(container, "{{.Config.User}}")
        pid1 = docker("exec", container, "cat", "/proc/1/cmdline").split("\0")[0]
        layers = len(docker("history", "-q", image).split())
        report.add(f"{service} image: non-root, PID 1 java, layered", f"{image}: user {user}, PID 1 {pid1}, {layers} layers",
                   user == "10001:10001" and pid1.endswith("java") and layers >= 5)

    uploads = Uploads(stack, "mixed")
    # 1,000 records make most files larger than 64 KiB: such a file is claimed (an open attempt) before it is stored,
    # so workers visibly hold files to be killed; a small file's first try holds nothing in PostgreSQL until done.
    files = mixed_files(500, 1000)
    started = time.monotonic()
    join = uploads.in_background(files, per_request=25, pause=0.3)

    # A worker that holds files is killed: no shutdown at all, as in a crash or an OOM kill.
    held = wait_for("a worker container holding files", lambda: open_attempts_by_container(stack), 120, interval=0.05)
    workers = stack.containers("worker")
    victim = next(c for c in workers if any(c.startswith(h) for h in held))
    holding = next(n for h, n in held.items() if victim.startswith(h))
    docker("kill", victim)
    report.add("docker kill of a worker holding files", f"{victim[:12]} held {holding} file(s)")

    stack.compose("up", "-d", "--no-recreate", "--scale", "worker=4", "worker")
    wait_for("4 running workers", lambda: len(stack.containers("worker")) >= 4, 120)
    again = "running again" if inspect(victim, "{{.State.Running}}") == "true" else "not restarted"
    report.add("scaled to 4 workers", f"{len(stack.containers('worker'))} running (the killed one {again})")

    # SIGTERM while files are in flight: the worker finishes them and exits by itself within its grace period.
    held = wait_for("a worker holding files", lambda: open_attempts_by_container(stack), 120, interval=0.05)
    candidates = [c for c in stack.containers("worker") if any(c.startswith(h) for h in held) and c != victim]
    stopped = candidates[0] if candidates else stack.containers("worker")[-1]
    t = time.monotonic()
    docker("stop", "--time", "50", stopped)
    took = time.monotonic() - t
    code = inspect(stopped, "{{.State.ExitCode}}")
    report.add("docker stop (SIGTERM) of a worker exits cleanly", f"{stopped[:12]} exited {code} after {took:.1f} s (grace 50 s)",
               code == "143" and took < 50)

    join()
    statuses = uploads.await_ended(600)
    elapsed = time.monotonic() - started
    lost, wrong, rows = uploads.verify_rows()
    report.add("500 files accepted", f"{len(uploads.expected)} files in {len(uploads.jobs)} jobs", len(uploads.expected) == 500)
    report.add("all DONE", f"{statuses}, {elapsed:.0f} s after the first upload", statuses.get("DONE") == 500)
    report.add("rows exact (lost 0, duplicated 0)", f"{rows} rows and documents; lost {len(lost)}, wrong row counts {len(wrong)}",
               not lost and not wrong)
    outcomes = attempts_by_outcome(stack, uploads.jobs)
    report.add("attempts", ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())), "LOST" in outcomes)

    # The stopped worker comes back; Prometheus finds every replica through DNS and counts exactly.
    docker("start", stopped)
    stack.await_healthy()
    prove_prometheus(stack, report)


def prove_prometheus(stack, report):
    workers = stack.containers("worker")
    addresses = {inspect(c, "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}") + ":8081" for c in workers}

    def targets_up():
        series = stack.prometheus('up{job="stowage-worker"}')
        seen = {s["metric"]["instance"]: s["value"][1] for s in series}
        return seen if set(seen) == addresses and all(v == "1" for v in seen.values()) else None
    seen = wait_for(f"Prometheus scraping all {len(workers)} workers (up == 1)", targets_up, 120, interval=3)
    report.add("Prometheus scrapes every worker by DNS", f"{len(seen)} targets, up == 1: {', '.join(sorted(seen))}")

    query = 'sum(stowage_files_processed_total{outcome="done"})'

    def settled():
        """The sum once two readings a scrape interval (15 s) apart agree: every worker scraped since its last file."""
        last = None
        for _ in range(8):
            result = stack.prometheus(query)
            now = int(float(result[0]["value"][1])) if result else 0
            if now == last:
                return now
            last = now
            time.sleep(16)
        raise ProofFailed(f"{query} did not settle")
    before = settled()
    uploads = Uploads(stack, "counted")
    uploads.send(mixed_files(50, 20), per_request=50)
    uploads.await_ended(300)
    after = settled()
    report.add("Prometheus counts exactly the files processed", f"{query}: {before} → {after} for 50 files", after - before == 50)


# ---- the RabbitMQ cluster ------------------------------------------------------------------------------------

NODES = {"rabbit@rabbitmq": "rabbitmq", "rabbit@rabbitmq-2": "rabbitmq-2", "rabbit@rabbitmq-3": "rabbitmq-3"}
CONSUMERS = 2 * 4  # two workers of concurrency 4


def rabbitmqctl(stack, *args, avoid=()):
    """rabbitmqctl on a running node other than those in `avoid`, its JSON answer."""
    for node, service in NODES.items():
        if node in avoid:
            continue
        for container in stack.containers(service):
            try:
                return json.loads(docker("exec", container, "rabbitmqctl", "-q", "--timeout", "15", *args, "--formatter", "json", timeout=30))
            except (subprocess.SubprocessError, ValueError):
                continue
    raise ProofFailed(f"no node answered rabbitmqctl {' '.join(args)}")


def queues(stack, avoid=()):
    answer = rabbitmqctl(stack, "list_queues", "name", "type", "leader", "members", "online", "consumers", avoid=avoid)
    return {q["name"]: q for q in answer}


def running_nodes(stack, avoid=()):
    return set(rabbitmqctl(stack, "cluster_status", avoid=avoid)["running_nodes"])


def prove_cluster(stack, report):
    started = time.monotonic()
    stack.compose("up", "-d", "--scale", "worker=2", "rabbitmq", "rabbitmq-2", "rabbitmq-3", "postgres", "gateway", "worker")
    stack.await_healthy()
    nodes = running_nodes(stack)
    report.add("3 nodes clustered", f"{', '.join(sorted(nodes))} in {time.monotonic() - started:.0f} s", nodes == set(NODES))
    all_queues = queues(stack)
    ours = {name: q for name, q in all_queues.items() if name.startswith("stowage.")}
    replicated = all(q["type"] == "quorum" and len(q["members"]) == 3 for q in ours.values())
    # The work queue, its DLQ and 3 retry tiers; the webhook queue, its DLQ and its 4 retry tiers (the defaults).
    expected = {"stowage.work", "stowage.dlq", "stowage.webhooks", "stowage.webhooks.dlq"}
    expected |= {f"stowage.retry.{ms}ms" for ms in (1000, 2000, 4000)}
    expected |= {f"stowage.webhooks.retry.{ms}ms" for ms in (10_000, 60_000, 600_000, 3_600_000)}
    report.add("every queue a quorum queue with 3 replicas", ", ".join(f"{n} ({len(q['members'])})" for n, q in sorted(ours.items())),
               replicated and set(ours) == expected)

    uploads = Uploads(stack, "flow")
    files = mixed_files(1000, 60)
    join = uploads.in_background(files, per_request=25, pause=0.25)
    wait_for("a quarter of the files accepted and some done",
             lambda: len(uploads.expected) >= 250 and uploads.statuses().get("DONE", 0) > 0, 180, interval=0.5)

    # Stop the node that leads the work queue (a clean node shutdown, as in a rolling restart or a lost VM).
    leader = ours["stowage.work"]["leader"]
    leader_container = stack.containers(NODES[leader])[0]
    done_before = uploads.statuses().get("DONE", 0)
    stopped_at = time.monotonic()
    docker("stop", leader_container)
    stop_took = time.monotonic() - stopped_at
    new_leader = wait_for("a new leader of the work queue",
                          lambda: (lambda l: l if l and l != leader else None)(queues(stack, avoid=[leader])["stowage.work"]["leader"]),
                          120, interval=0.5)
    elected = time.monotonic() - stopped_at
    wait_for("files DONE again after the node stop", lambda: uploads.statuses().get("DONE", 0) >= done_before + 50, 180, interval=0.5)
    resumed = time.monotonic() - stopped_at
    wait_for(f"all {CONSUMERS} consumers back on the work queue",
             lambda: queues(stack, avoid=[leader])["stowage.work"]["consumers"] >= CONSUMERS, 180, interval=1)
    reconnected = time.monotonic() - stopped_at
    report.add("leader of stowage.work stopped", f"{leader} (docker stop {stop_took:.1f} s); new leader {new_leader} after {elected:.1f} s; "
               f"files DONE again after {resumed:.1f} s; {CONSUMERS} consumers back after {reconnected:.1f} s")

    docker("start", leader_container)
    wait_for("the node back in the cluster with its replicas", lambda: running_nodes(stack) == set(NODES)
             and all(len(q["online"]) == 3 for n, q in queues(stack).items() if n.startswith("stowage.")), 180, interval=2)
    report.add("node started again", f"{leader} rejoined, every queue 3 replicas online, {time.monotonic() - stopped_at:.0f} s after the stop")

    join()
    statuses = uploads.await_ended(600)
    lost, wrong, rows = uploads.verify_rows()
    report.add("1,000 files DONE through the failover", f"{statuses}", statuses.get("DONE") == 1000 and len(uploads.expected) == 1000)
    report.add("rows exact (lost 0, duplicated 0)", f"{rows} rows and documents; lost {len(lost)}, wrong row counts {len(wrong)}",
               not lost and not wrong)

    prove_retry_and_dead_letter(stack, report)
    prove_minority_pause(stack, report)


def prove_retry_and_dead_letter(stack, report):
    """After the failover: a file whose table is locked goes round a retry tier and is DONE; a poison file is
    dead-lettered, once."""
    first = Uploads(stack, "retried")
    first.send([("first.json", b'[{"a": 1}]', "SQL", 1)], per_request=1)
    first.await_ended(120)
    postgres = stack.containers("postgres")[0]
    # Another session holds the table for 4 s: the worker's lock wait (2 s) fails and the file is retried.
    locker = subprocess.Popen(["docker", "exec", postgres, "psql", "-U", stack.db_user, "-d", stack.db_name, "-qc",
                               f'begin; lock table datasets__{TENANT}.retried in access exclusive mode; select pg_sleep(4); commit;'],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for("the table locked", lambda: stack.psql("select count(*) from pg_locks where mode = 'AccessExclusiveLock' and relation = "
                                                    f"'datasets__{TENANT}.retried'::regclass") != "0", 30, interval=0.2)
    retried = Uploads(stack, "retried")
    retried.send([("second.json", b'[{"a": 2}]', "SQL", 1)], per_request=1)
    poison = Uploads(stack, "poison")
    poison.send([("poison.json", b'[{"a": 1},]', "SQL", 0)], per_request=1)
    retried.await_ended(120)
    poison.await_ended(120)
    locker.wait(30)
    file_id = next(iter(retried.expected))
    outcomes = [o for (o,) in stack.rows(f"select outcome from stowage.attempts where file_id = '{file_id}' order by attempt")]
    report.add("a retry tier after the failover", f"locked file: attempts {' → '.join(outcomes)}", outcomes[:1] == ["RETRY"] and outcomes[-1] == "DONE")

    poison_id = next(iter(poison.expected))
    status, letters = stack.api("GET", "/api/v1/admin/dead-letters")
    listed = [d for d in letters["deadLetters"] if d["fileId"] == poison_id]

    def in_queue_once():
        _, answer = stack.api("GET", "/api/v1/admin/dead-letters")
        return answer["messagesInQueue"] == 1 and answer
    wait_for("the poison file's message in the dead-letter queue", in_queue_once, 60, interval=0.5)
    time.sleep(3)
    _, letters = stack.api("GET", "/api/v1/admin/dead-letters")
    report.add("the dead-letter queue after the failover", f"poison file FAILED ({listed[0]['errorClass'] if listed else '?'}) after "
               f"{listed[0]['attempts'] if listed else '?'} attempt(s); messages in stowage.dlq: {letters['messagesInQueue']}",
               status == 200 and len(listed) == 1 and listed[0]["attempts"] == 1 and letters["messagesInQueue"] == 1)


def prove_minority_pause(stack, report):
    """One node frozen (docker pause), the leader of the work queue: the two others elect a new leader and go on."""
    leader = queues(stack)["stowage.work"]["leader"]
    frozen = stack.containers(NODES[leader])[0]
    docker("pause", frozen)
    paused_at = time.monotonic()
    try:
        uploads = Uploads(stack, "paused")
        uploads.send(mixed_files(100, 30), per_request=50)
        statuses = uploads.await_ended(300)
        took = time.monotonic() - paused_at
        lost, wrong, _ = uploads.verify_rows()
        majority = queues(stack, avoid=[leader])["stowage.work"]["leader"]
        report.add("a minority (one paused node) does not stop the majority",
                   f"{leader} paused; new leader {majority}; 100 files uploaded and {statuses} {took:.0f} s after the pause; "
                   f"lost {len(lost)}, wrong row counts {len(wrong)}",
                   statuses.get("DONE") == 100 and not lost and not wrong and majority != leader)
    finally:
        docker("unpause", frozen)
    unpaused_at = time.monotonic()
    wait_for("the paused node back with its replicas", lambda: running_nodes(stack) == set(NODES)
             and all(len(q["online"]) == 3 for n, q in queues(stack).items() if n.startswith("stowage.")), 240, interval=2)
    report.add("paused node unpaused", f"{leader} healed back into the cluster (autoheal), every queue 3 replicas online, "
               f"{time.monotonic() - unpaused_at:.0f} s after the unpause")


PROOFS = {
    "stack": (prove_stack, "compose stack: docker-compose.yml, 3 → 4 workers", False),
    "cluster": (prove_cluster, "RabbitMQ cluster: docker-compose.yml + deploy/docker/rabbitmq-cluster.yml, 3 nodes", True),
}


def run(proof):
    """Runs one proof on a stack of its own; prints the logs if a check fails, the table and down -v in any case."""
    steps, title, cluster = PROOFS[proof]
    stack = Stack(f"stowage-{proof}-proof", cluster=cluster)
    report = Report(title)
    try:
        steps(stack, report)
    except ProofFailed:
        print(stack.logs(), file=sys.stderr)
        raise
    finally:
        report.print()
        left = stack.down()
    if left:
        raise ProofFailed(f"down -v left {left}")
    log("down -v: no container, network or volume of the project left")


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in PROOFS:
        print(__doc__)
        sys.exit(2)
    try:
        run(sys.argv[1])
    except ProofFailed as e:
        print(f"\n[prove] FAILED: {e}", file=sys.stderr)
        sys.exit(1)
    log("OK")


if __name__ == "__main__":
    # A SIGTERM (CI's timeout, kill) ends the proof like Ctrl-C does: through the clean-up of the stack.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
