"""Remove the Snakemake locks a killed run left behind, but never those of a live run.

Snakemake locks the working directory (``.snakemake/locks/``) while it runs and removes the locks
when it ends. A run killed by SIGKILL (out-of-memory killer, ``scancel``, a closed laptop) cannot,
and the next run stops with a ``LockException`` until ``snakemake --unlock``. ``make`` calls
``python -m thermodiff.stale_lock`` first: if no process whose working directory is this checkout
runs Snakemake (the main process or one of its jobs, ``.snakemake/scripts/...``), the locks are
stale and removed; otherwise they are kept and the live processes are named. The next run then
rebuilds what the kill left half-written (``rerun-incomplete``, profiles/default) or deleted (the
default target asks for every output of every job; docs/cluster.md §Resume after a crash).

Linux only (reads ``/proc``); elsewhere it does nothing and says so.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _ancestors(pid: int) -> set[int]:
    """``pid`` and every parent up to init (the make and shell that started this check)."""
    seen = set()
    while pid > 1 and pid not in seen:
        seen.add(pid)
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            break
        ppid = [line.split()[1] for line in status.splitlines() if line.startswith("PPid:")]
        pid = int(ppid[0]) if ppid else 0
    return seen


def live_snakemake_processes(root: str | os.PathLike) -> list[tuple[int, str]]:
    """(pid, command line) of processes working in ``root`` whose command mentions snakemake."""
    root = os.path.realpath(root)
    mine = _ancestors(os.getpid())
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in mine:
            continue
        try:
            if os.path.realpath(entry / "cwd") != root:
                continue
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone, or another user's process
            continue
        if "snakemake" in cmdline:
            found.append((int(entry.name), cmdline.strip()))
    return found


def clear_stale_locks(root: str | os.PathLike = ".") -> int:
    """Remove stale locks under ``root``; print one line about what was done. Exit status."""
    locks = Path(root) / ".snakemake" / "locks"
    files = sorted(locks.glob("*.lock")) if locks.is_dir() else []
    if not files:
        return 0
    if not Path("/proc/self").exists():
        print(
            f"{locks}: locks present; cannot check for a live run here. If no Snakemake runs in "
            "this directory, run `snakemake --unlock`.",
            file=sys.stderr,
        )
        return 0
    live = live_snakemake_processes(root)
    if live:
        print(
            "Snakemake is running in this directory (pid "
            + ", ".join(str(pid) for pid, _ in live)
            + "); its locks are kept. Wait for it to end (or stop it), then run make again.",
            file=sys.stderr,
        )
        return 1
    for path in files:
        path.unlink(missing_ok=True)
    print(
        f"Removed {len(files)} stale Snakemake lock(s) left by a killed run; resuming.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(clear_stale_locks(sys.argv[1] if len(sys.argv) > 1 else "."))
