#!/usr/bin/env python3
"""Pass after pass of one scenario's requests against the stack already running: how fast the JVMs warm up.

Prints, per pass, files/s and the CPU the JIT compilers, PostgreSQL and the whole machine used. Every pass goes
into the same dataset (`bench_passes_<n>`); the suite's clean-up at its next start deletes it.

    deploy/local/run.sh --no-build && bench/passes.py 30          # 30 passes of the 2,000 small files
    bench/passes.py 10 docs                                       # of the 2,000 documents
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stowage_bench as bench  # noqa: E402

URL = "http://127.0.0.1:8080"


def postgres_ticks():
    ticks = 0
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/comm") as f:
                if f.read().strip() == "postgres":
                    ticks += sum(bench.proc_stat(entry)[1][:2])
        except OSError:
            continue
    return ticks


def snapshot():
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    jit = sum(bench.compiler_ticks(pid) for pid in bench.stack_pids().values())
    return {"machine": sum(cpu) - cpu[3] - cpu[4], "jit": jit, "postgres": postgres_ticks()}


def main():
    passes = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    kind = sys.argv[2] if len(sys.argv) > 2 else "small"
    directory = bench.small_data(bench.FULL["small_files"]) if kind == "small" else bench.docs_data(
        bench.FULL["doc_files"])
    files = bench.read_files(directory)
    requests = [files[i:i + bench.REQUEST_FILES] for i in range(0, len(files), bench.REQUEST_FILES)]
    dataset = f"bench_passes_{int(time.time())}"
    api = bench.Api(URL)
    for n in range(passes):
        before = snapshot()
        started, job_ids, _, _ = bench.upload_all(URL, requests, dataset, 2)
        seconds = bench.summarize_jobs(bench.await_jobs(api, job_ids, 600), started)["seconds"]
        used = {k: (v - before[k]) / bench.CLK for k, v in snapshot().items()}
        print(f"pass {n + 1:3d}: {len(files) / seconds:6.0f} files/s   CPU s: machine {used['machine']:5.2f},"
              f" JIT {used['jit']:4.2f} ({used['jit'] / max(used['machine'], 0.01):.0%}),"
              f" postgres {used['postgres']:4.2f}", flush=True)
        time.sleep(1)
    api.close()


if __name__ == "__main__":
    main()
