"""A ``nevcalc serve`` process for the tests: started on a free port, waited for, stopped."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, cwd, host: str = "127.0.0.1") -> subprocess.Popen:
    """``nevcalc serve`` in a process of its own (stopped by the caller)."""
    return subprocess.Popen(
        [sys.executable, "-m", "nevcalc.cli", "serve", "--port", str(port), "--host", host],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # this checkout's nevcalc, not whichever one is installed
        env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": os.pathsep.join(sys.path)},
    )


def wait_for_page(url: str, proc: subprocess.Popen, limit: float = 60.0) -> float:
    """Seconds until ``url`` answers 200 (polling every 20 ms)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        if proc.poll() is not None:
            raise AssertionError(f"the server stopped: {proc.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as res:
                if res.status == 200:
                    return time.perf_counter() - t0
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.02)
    raise AssertionError(f"{url} did not answer in {limit} s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
