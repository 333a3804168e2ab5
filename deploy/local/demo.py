#!/usr/bin/env python3
"""Uploads a batch of generated JSON files to Stowage and prints progress until the job ends.

    deploy/local/demo.py [--files 100] [--records 40] [--dataset demo] [--url http://127.0.0.1:8080]

The API key comes from STOWAGE_API_KEY (default: the local key that deploy/local/run.sh configures).

Standard library only, so it runs on any machine with Python 3.
"""
import argparse
import json
import os
import random
import sys
import time
import urllib.error
import urllib.request
import uuid


def generate_file(index, records, rng):
    """A JSON array of flat records, about 100 bytes each."""
    rows = [{
        "id": index * 100_000 + r,
        "customer": f"customer-{rng.randrange(10_000)}",
        "amount": round(rng.uniform(1, 500), 2),
        "paid": rng.random() < 0.8,
        "created_at": f"2026-{1 + r % 12:02d}-{1 + r % 28:02d}T{r % 24:02d}:15:00Z",
    } for r in range(records)]
    return json.dumps(rows).encode()


def multipart(files, fields=None):
    """(content type, body) of a multipart/form-data request with `files` parts."""
    boundary = uuid.uuid4().hex
    body = bytearray()
    for name, value in (fields or {}).items():
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name, content in files:
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                 f'Content-Type: application/json\r\n\r\n').encode()
        body += content + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", bytes(body)


def api_key():
    return os.environ.get("STOWAGE_API_KEY", "local-admin-key")


def request(url, data=None, content_type=None):
    req = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    req.add_header("Authorization", f"Bearer {api_key()}")
    if content_type:
        req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req, timeout=60) as response:
        return response.status, json.loads(response.read())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--records", type=int, default=40)
    parser.add_argument("--dataset", default="demo")
    args = parser.parse_args()

    rng = random.Random(42)
    files = [(f"orders-{i:04d}.json", generate_file(i, args.records, rng)) for i in range(args.files)]
    content_type, body = multipart(files, {"dataset": args.dataset})
    started = time.monotonic()
    try:
        status, job = request(f"{args.url}/api/v1/jobs", body, content_type)
    except urllib.error.HTTPError as e:
        sys.exit(f"upload refused: {e.code} {e.read().decode()}")
    except urllib.error.URLError as e:
        sys.exit(f"cannot reach Stowage at {args.url} ({e.reason}); start it with deploy/local/run.sh")
    print(f"{status}: job {job['jobId']} accepted in {(time.monotonic() - started) * 1000:.0f} ms, "
          f"{len(files)} files, {len(body) / 1024:.0f} KiB")

    while True:
        _, job = request(f"{args.url}/api/v1/jobs/{job['jobId']}")
        p = job["progress"]
        print(f"  {job['status']:<16} {p['done']}/{p['total']} done, {p['processing']} processing, "
              f"{p['queued']} queued, {p['retrying']} retrying, {p['failed']} failed")
        if job["finishedAt"]:
            break
        time.sleep(0.5)
    print(f"job {job['status']} after {time.monotonic() - started:.1f} s; "
          f"rows in table {job['files'][0]['table']}: {sum(f['records'] or 0 for f in job['files'])}")


if __name__ == "__main__":
    main()
