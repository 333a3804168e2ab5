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
        before = bench.cpu_snapshot()
        started, job_ids, _, _ = bench.upload_all(URL, requests, dataset, 2)
        seconds = bench.summarize_jobs(bench.await_jobs(api, job_ids, 600), started)["seconds"]
        used = bench.cpu_delta(before, bench.cpu_snapshot())["cpu_s"]
        ms = {k: 1000 * (v or 0) / len(files) for k, v in used.items()}
        print(f"pass {n + 1:3d}: {len(files) / seconds:6.0f} files/s  ms CPU/file: machine {ms['machine']:.2f}"
              f" (JIT {used['jit'] / max(used['machine'], 0.01):.0%}) = gateway {ms.get('gateway', 0):.2f}, workers"
              f" {sum(v for k, v in ms.items() if k.startswith('worker-')):.2f}, postgres {ms['postgres']:.2f},"
              f" rabbitmq {ms['rabbitmq']:.2f}, bench {ms['bench']:.2f}, other {ms['other']:.2f}", flush=True)
        time.sleep(1)
    api.close()


if __name__ == "__main__":
    main()
