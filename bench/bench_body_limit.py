"""Memory under large request bodies: `koers serve` on 127.0.0.1 gets 10 × 50 MB JSON posts to /api/v1/auth/login.

    .venv/bin/python bench/bench_body_limit.py              # with the default limit (1 MiB)
    .venv/bin/python bench/bench_body_limit.py --no-limit   # the limit raised past the bodies, for comparison

Half the posts declare a Content-Length, half are chunked (no length: the server must count). Five go at
once. It prints the server's resident memory (VmRSS) before, at its peak while the posts run, and after,
and the answers' statuses. Issue 9 measured 190 MB → 955 MB without a limit.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

MB = 1000 * 1000
CHUNK = 256 * 1024


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / MB
    raise RuntimeError("no VmRSS")


def body(size: int) -> Iterator[bytes]:
    """A JSON login whose password is `size` bytes long, produced in chunks (the client holds none of it)."""
    yield b'{"email": "admin@example.org", "password": "'
    sent = 0
    piece = b"x" * CHUNK
    while sent < size:
        yield piece[: min(CHUNK, size - sent)]
        sent += CHUNK
    yield b'"}'


def post(url: str, size: int, chunked: bool) -> int:
    headers = {"content-type": "application/json"}
    if not chunked:
        headers["content-length"] = str(size + len(b'{"email": "admin@example.org", "password": ""}'))
    try:
        response = httpx.post(url, content=body(size), headers=headers, timeout=120)
        return response.status_code
    except httpx.HTTPError as error:  # the server may close the connection once it refused the body
        return {"RemoteProtocolError": -1, "WriteError": -2, "ReadError": -3}.get(type(error).__name__, -9)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10)
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--parallel", type=int, default=5)
    parser.add_argument("--no-limit", action="store_true", help="raise KOERS_MAX_BODY_BYTES past the bodies")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="koers-bench-body-"))
    port = free_port()
    env = os.environ | {"KOERS_DATABASE_URL": f"sqlite:///{folder / 'koers.db'}"}
    if args.no_limit:
        env["KOERS_MAX_BODY_BYTES"] = str(10 * args.megabytes * MB)
    koers = Path(sys.executable).with_name("koers")
    server = subprocess.Popen(
        [str(koers), "serve", "--demo", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                httpx.get(f"{base}/api/v1/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        before = rss_mb(server.pid)
        peak = [before]
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], rss_mb(server.pid))
                time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        started = time.monotonic()
        with ThreadPoolExecutor(args.parallel) as pool:
            statuses = Counter(
                pool.map(
                    lambda n: post(f"{base}/api/v1/auth/login", args.megabytes * MB, n % 2 == 1), range(args.posts)
                )
            )
        seconds = time.monotonic() - started
        time.sleep(0.5)
        done.set()
        watcher.join()
        after = rss_mb(server.pid)
        limit = "raised past the bodies" if args.no_limit else "default (1 MiB)"
        print(f"{args.posts} × {args.megabytes} MB posts, {args.parallel} at once, limit {limit}: {seconds:.1f} s")
        print(f"  statuses: {dict(sorted(statuses.items()))}  (negative: connection closed by the server)")
        print(f"  server RSS: {before:.0f} MB before, {peak[0]:.0f} MB peak, {after:.0f} MB after")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
