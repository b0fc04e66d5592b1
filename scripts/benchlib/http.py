"""Pieces of the HTTP benchmark: uvicorn servers, wrk runs, CPU accounting and the result table.

Every server is one uvicorn process (one worker) on 127.0.0.1 with the same flags; it runs in its
own process group so that stopping it also stops anything it started. wrk runs with the Lua
script in ./wrk, which picks a random path per request from a file and prints one RESULT line.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk" / "paths.lua"
CLK_TCK = os.sysconf("SC_CLK_TCK")

H11_STACK = ("--loop", "asyncio", "--http", "h11")
FAST_STACK = ("--loop", "uvloop", "--http", "httptools")
RESULT_LINE = re.compile(r"^RESULT (.*)$", re.MULTILINE)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def uvicorn_command(app: str, port: int, *, factory: bool, fast_stack: bool) -> list[str]:
    """The one uvicorn command line every system runs under (only the app differs)."""
    cmd = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    cmd += [*(FAST_STACK if fast_stack else H11_STACK), "--no-access-log", "--log-level", "warning"]
    return [*cmd, "--factory"] if factory else cmd


def fetch(url: str, timeout: float = 10.0) -> tuple[int, bytes]:
    """GET without an Accept-Encoding header (as wrk sends it): status and body."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return int(r.status), bytes(r.read())
    except urllib.error.HTTPError as e:
        return int(e.code), bytes(e.read())


@dataclass
class Server:
    """A uvicorn process of one system. Use as a context manager: it is stopped on exit."""

    name: str
    app: str
    env: Mapping[str, str]
    ready_path: str
    factory: bool = False
    fast_stack: bool = False
    log: Path | None = None
    start_timeout: float = 60.0
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> Server:
        self.port = free_port()
        cmd = uvicorn_command(self.app, self.port, factory=self.factory, fast_stack=self.fast_stack)
        env = {**os.environ, "PYTHONPATH": str(REPO), **self.env}
        out = self.log.open("wb") if self.log else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        _RUNNING.add(self)
        deadline = time.monotonic() + self.start_timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start (code {self.proc.returncode}){self._tail()}")
            with contextlib.suppress(OSError):
                if fetch(self.base + self.ready_path, timeout=2)[0] == 200:
                    return self
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} not ready after {self.start_timeout:.0f} s{self._tail()}")
            time.sleep(0.1)

    def _tail(self) -> str:
        if self.log and self.log.exists():
            return ":\n" + self.log.read_text(errors="replace")[-2000:]
        return ""

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        _RUNNING.discard(self)
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __hash__(self) -> int:
        return id(self)


_RUNNING: set[Server] = set()


def stop_all() -> None:
    """Stop every server still running (called on exit and on SIGTERM/SIGINT)."""
    for server in list(_RUNNING):
        server.stop()


def install_cleanup() -> None:
    import atexit

    atexit.register(stop_all)

    def on_signal(signum: int, _frame: object) -> None:
        stop_all()
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)


# --- CPU accounting -----------------------------------------------------------------------------


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of a process (and of its reaped children) from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / CLK_TCK


def system_cpu() -> tuple[float, float, float]:
    """(busy, steal, total) seconds over all CPUs since boot, from /proc/stat."""
    values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (values + [0] * 8)[:8]
    busy = user + nice + system + irq + softirq
    return busy / CLK_TCK, steal / CLK_TCK, (busy + idle + iowait + steal) / CLK_TCK


def wait_idle(max_wait_s: float, threshold_pct: float = 20.0, sample_s: float = 1.0) -> float:
    """Wait (at most `max_wait_s`) until the machine's CPU use, in % of one CPU, falls below the threshold.

    Called between runs, when our server is idle, so what it sees is other work on the machine.
    Returns the last sample; 0 when `max_wait_s` is 0 (no sampling).
    """
    if max_wait_s <= 0:
        return 0.0
    deadline = time.monotonic() + max_wait_s
    while True:
        busy0 = system_cpu()[0]
        time.sleep(sample_s)
        pct = 100 * (system_cpu()[0] - busy0) / sample_s
        if pct < threshold_pct or time.monotonic() >= deadline:
            return pct


def wait_server_idle(pid: int, max_wait_s: float = 60.0, below_pct: float = 5.0) -> float:
    """Wait until a server process uses < `below_pct` % CPU (sampled every 0.25 s); seconds waited."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < max_wait_s:
        try:
            before = process_cpu_seconds(pid)
            time.sleep(0.25)
            if 100 * (process_cpu_seconds(pid) - before) / 0.25 < below_pct:
                break
        except OSError:
            break
    return time.monotonic() - t0


# --- wrk ----------------------------------------------------------------------------------------


@dataclass
class WrkResult:
    requests: int
    seconds: float
    bytes: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    socket_errors: int
    non2xx: int
    rps: float = 0.0
    bytes_per_response: float = 0.0
    server_cpu_pct: float = 0.0
    server_cpu_ms_per_request: float = 0.0
    wrk_cpu_pct: float = 0.0
    other_cpu_pct: float = 0.0
    steal_pct: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_wrk(output: str) -> WrkResult:
    """Read the RESULT line printed by paths.lua's `done` hook."""
    m = RESULT_LINE.search(output)
    if not m:
        raise ValueError(f"no RESULT line in wrk output:\n{output[-2000:]}")
    kv = dict(item.split("=", 1) for item in m.group(1).split())
    requests, duration_us = int(kv["requests"]), int(kv["duration_us"])
    seconds = duration_us / 1e6
    nbytes = int(kv["bytes"])
    return WrkResult(
        requests=requests,
        seconds=seconds,
        bytes=nbytes,
        p50_ms=float(kv["p50_us"]) / 1000,
        p90_ms=float(kv["p90_us"]) / 1000,
        p99_ms=float(kv["p99_us"]) / 1000,
        max_ms=float(kv["max_us"]) / 1000,
        socket_errors=sum(int(kv[k]) for k in ("connect", "read", "write", "timeout")),
        non2xx=int(kv["non2xx"]),
        rps=requests / seconds if seconds else 0.0,
        bytes_per_response=nbytes / requests if requests else 0.0,
    )


def wrk_path() -> str | None:
    return shutil.which("wrk")


def run_wrk(
    base: str,
    paths_file: Path,
    *,
    seconds: float,
    threads: int,
    connections: int,
    server_pid: int | None = None,
    timeout_s: float = 10.0,
) -> WrkResult:
    """One wrk run against `base` with paths drawn from `paths_file`, with CPU shares measured."""
    wrk = wrk_path()
    if wrk is None:
        raise RuntimeError("wrk is not installed (scripts/bench installs it with apt-get)")
    cmd = [wrk, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
    cmd += [f"--timeout={timeout_s:g}s", "-s", str(WRK_SCRIPT), base, "--", str(paths_file)]
    server0 = process_cpu_seconds(server_pid) if server_pid else 0.0
    busy0, steal0, total0 = system_cpu()
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + timeout_s + 30, check=False)
    wall = time.monotonic() - t0
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy1, steal1, total1 = system_cpu()
    server1 = process_cpu_seconds(server_pid) if server_pid else 0.0
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr[-2000:]}")
    result = parse_wrk(done.stdout)
    wrk_cpu = (children1.ru_utime + children1.ru_stime) - (children0.ru_utime + children0.ru_stime)
    server_cpu = server1 - server0
    result.server_cpu_pct = 100 * server_cpu / wall
    # CPU time per request moves much less than req/s when other jobs share the machine.
    result.server_cpu_ms_per_request = 1000 * server_cpu / result.requests if result.requests else 0.0
    result.wrk_cpu_pct = 100 * wrk_cpu / wall
    # Everything else that ran on the machine meanwhile (other jobs skew the numbers; reported).
    result.other_cpu_pct = max(0.0, 100 * ((busy1 - busy0) - server_cpu - wrk_cpu) / wall)
    result.steal_pct = 100 * (steal1 - steal0) / max(1e-9, total1 - total0)
    return result


# --- the table ----------------------------------------------------------------------------------


def fmt(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def render_table(
    endpoints: Sequence[tuple[str, str]],
    systems: Sequence[str],
    results: Mapping[tuple[str, str], Mapping[str, Any] | None],
    ratios: Sequence[tuple[str, str, str]],
) -> str:
    """A plain-text table: one row per (endpoint, system), then one ratio column per `ratios` entry.

    `results[(system, endpoint)]` is a WrkResult dict (values may be None: shown as "-"), or None
    for "this system cannot serve it" (n/a); a missing key means "not run". `ratios` holds
    (label, numerator system, denominator system).
    """
    lines = [
        f"{'endpoint':<22}{'system':<16}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'KiB/resp':>10}{'errors':>8}{'srv CPU%':>10}{'CPU ms/req':>12}{'other CPU%':>12}"
    ]
    lines.append("-" * len(lines[0]))
    for key, label in endpoints:
        for system in systems:
            if (system, key) not in results:
                continue
            r = results[(system, key)]
            if r is None:
                lines.append(f"{label:<22}{system:<16}{'n/a':>10}   (cannot answer this query)")
            else:
                errors = int(r["socket_errors"]) + int(r["non2xx"])
                lines.append(
                    f"{label:<22}{system:<16}{fmt(r['rps'], 0):>10}{fmt(r['p50_ms'], 2):>9}"
                    f"{fmt(r['p99_ms'], 2):>9}{fmt(r['bytes_per_response'] / 1024, 1):>10}{errors:>8}"
                    f"{fmt(r['server_cpu_pct'], 0):>10}{fmt(r['server_cpu_ms_per_request'], 2):>12}"
                    f"{fmt(r['other_cpu_pct'], 0):>12}"
                )
            label = ""
    lines.append("")
    head = f"{'ratio of req/s':<22}" + "".join(f"{name:>22}" for name, _, _ in ratios)
    lines += [head, "-" * len(head)]
    for key, label in endpoints:
        cells = []
        for _, num, den in ratios:
            a, b = results.get((num, key)), results.get((den, key))
            value = ratio(a["rps"] if a else None, b["rps"] if b else None)
            cells.append(f"{fmt(value, 2) + 'x' if value is not None else '-':>22}")
        lines.append(f"{label:<22}" + "".join(cells))
    return "\n".join(lines)


def git_state() -> dict[str, Any]:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {"head": git("rev-parse", "HEAD"), "dirty_files": len(git("status", "--porcelain").splitlines())}


def machine() -> dict[str, Any]:
    import platform
    import sqlite3

    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        mem_kb = int(Path("/proc/meminfo").read_text().splitlines()[0].split()[1])
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu,
        "mem_gib": round(mem_kb / 2**20, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "loadavg_at_start": os.getloadavg(),
    }


def versions(names: Sequence[str]) -> dict[str, str | None]:
    from importlib import metadata

    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def wrk_version() -> str | None:
    wrk = wrk_path()
    if wrk is None:
        return None
    done = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False, timeout=10)
    first = (done.stdout or done.stderr).strip().splitlines()
    return first[0] if first else None


@contextlib.contextmanager
def servers_stopped_on_exit() -> Iterator[None]:
    try:
        yield
    finally:
        stop_all()
