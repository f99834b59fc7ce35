"""Wall time of CLI commands, against the interpreter's own start-up measured in the same run.

    .venv/bin/python bench/bench_cli_startup.py                # 15 runs of each command, both bytecode modes
    .venv/bin/python bench/bench_cli_startup.py --runs 30 --mode cached
    .venv/bin/python bench/bench_cli_startup.py --src /tmp/old/src   # another source tree (e.g. `git archive HEAD`)

Each command runs as a fresh process (`koers ...` through the console script, as people run it) on a temporary
SQLite database holding the demo, `--runs` times after one warm-up run; it prints the median, the fastest and the
95th percentile, and the median's ratio to the floor (`python -c pass`) and to `python -c "import koers"`.

Two modes, because Python's bytecode cache decides much of a start-up:
- `uncached`: PYTHONDONTWRITEBYTECODE=1 and no cache, so every module is compiled from source on every run (how
  this development machine runs, its environment setting that variable);
- `cached`: bytecode written to and read from a temporary PYTHONPYCACHEPREFIX, as after `pip install` (which
  compiles the bytecode) or `uv pip install --compile-bytecode`.
The aims of issue 15: `koers version` under 0.2 s and `koers checkin` under 0.5 s, wall time. The machine's load
average is printed with each table: other work on a shared two-core machine moves wall times a lot, so the median
CPU time (user + system) of the same runs is printed too; on an idle machine wall ≈ CPU + a few ms.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
KOERS = str(BIN / "koers")
AIMS = {"koers version": 0.2, "koers checkin": 0.5}


CPU: dict[str, list[float]] = {}  # CPU seconds (user + system) of the same runs, by command line


def timed(argv: list[str], env: dict[str, str], runs: int) -> list[float] | None:
    """Wall seconds of `runs` runs of a fresh process (after one warm-up run that is not counted); None when the
    command fails (an older Koers may not have it). Their CPU seconds go to CPU."""
    times, cpu = [], []
    for index in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            print(f"  ({' '.join(argv[-4:])} failed: {done.stderr.strip()[:120]})")
            return None
        if index:
            times.append(elapsed)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    CPU[" ".join(argv)] = cpu
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def environment(mode: str, folder: Path, database: Path, src: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONPYCACHEPREFIX", "PYTHONDONTWRITEBYTECODE"))}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    env["KOERS_DATABASE_URL"] = f"sqlite:///{database}"
    env["KOERS_USER"] = "admin@koers.local"
    env.pop("KOERS_LANG", None)
    if mode == "uncached":
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = str(folder / "no-cache")  # empty, never written: nothing cached is read
    else:
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    return env


def table(mode: str, runs: int, folder: Path, database: Path, checkin_kr: str, src: Path | None) -> None:
    env = environment(mode, folder, database, src)
    python = sys.executable
    koers = koers_command(src)
    rows = [
        ("python -c pass", [python, "-c", "pass"]),
        ('python -c "import koers"', [python, "-c", "import koers"]),
        ("koers version", [*koers, "version"]),
        ("koers checkin", [*koers, "checkin", checkin_kr, "7,5", "--note", "bench"]),
        ("koers checkin (nl)", [*koers, "checkin", checkin_kr, "7,5", "--note", "bench"]),
        ("koers list objectives", [*koers, "list", "objectives"]),
        ("koers status", [*koers, "status"]),
        ("koers --help", [*koers, "--help"]),
    ]
    results: dict[str, list[float] | None] = {}
    cpu: dict[str, float] = {}
    for name, argv in rows:
        run_env = {**env, "KOERS_LANG": "nl"} if name.endswith("(nl)") else env
        results[name] = timed(argv, run_env, runs)
        cpu[name] = statistics.median(CPU.get(" ".join(argv)) or [0.0])
    floor = statistics.median(results["python -c pass"] or [1.0])
    package = statistics.median(results['python -c "import koers"'] or [1.0])
    load = os.getloadavg()[0]
    print(f"\n{mode} bytecode, {runs} runs each, load average {load:.2f}, Koers from {src or 'the installed package'}")
    print(f"{'command':<26} {'median':>8} {'min':>8} {'p95':>8} {'cpu':>8} {'× pass':>8} {'× import':>9}  aim (wall)")
    for name, values in results.items():
        if values is None:
            print(f"{name:<26} {'n/a':>8}")
            continue
        median = statistics.median(values)
        aim = AIMS.get(name)
        verdict = "" if aim is None else f"{aim:.1f} s {'ok' if median < aim else 'MISSED'}"
        print(
            f"{name:<26} {median:>7.3f}s {min(values):>7.3f}s {p95(values):>7.3f}s {cpu[name]:>7.3f}s "
            f"{median / floor:>7.1f}× {median / package:>8.1f}×  {verdict}"
        )


def koers_command(src: Path | None) -> list[str]:
    """The installed console script, or Koers from another source tree through the same interpreter."""
    if src is None:
        return [KOERS]
    return [sys.executable, "-c", "from koers.cli.main import run; run()"]


def open_key_result(koers: list[str], env: dict[str, str]) -> str:
    """The id of a key result in the demo's open quarter (read from `koers status --json`, which every Koers has)."""
    status = json.loads(subprocess.run([*koers, "status", "--json"], env=env, check=True, capture_output=True).stdout)
    quarter = next(c for c in status["cycles"] if "-Q" in c["name"])
    return str(quarter["objectives"][0]["key_results"][0]["id"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--mode", choices=("uncached", "cached", "both"), default="both")
    parser.add_argument("--src", type=Path, help="Run Koers from this source tree (PYTHONPATH) instead.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="koers-bench-cli-") as name:
        folder = Path(name)
        database = folder / "koers.db"
        env = environment("cached", folder, database, args.src)
        koers = koers_command(args.src)
        subprocess.run([*koers, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        checkin_kr = open_key_result(koers, env)
        for mode in ("uncached", "cached") if args.mode == "both" else (args.mode,):
            table(mode, args.runs, folder, database, checkin_kr, args.src)


if __name__ == "__main__":
    main()
