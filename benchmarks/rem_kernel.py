"""Benchmark of the empirical-posterior kernel (issue 4): throughput, memory, float32 error.

Usage: python benchmarks/rem_kernel.py OUT [--n 100000] [--d 1000] [--b 512]

OUT is a folder (``make bench`` passes ``results/bench``; the table goes to OUT/rem_kernel.csv)
or a path ending in ``.csv``.

Measures, in one run on one machine:

* wall time of a plain BLAS product ``X @ Y.T`` of shape B x d x N (best of ``--repeats``), of the
  same product issued in the kernel's blocks of rows, and of
  :func:`thermodiff.denoisers.posterior_stats` on the same X, Y (log Z, Y_2, entropy, max weight,
  own weight; then also the posterior mean, which needs a second product of the same size);
  ``ratio = t_matmul / t_kernel`` (the mean's ideal is 0.5: two products);
* peak memory allocated by the kernel beyond its inputs (tracemalloc sees numpy's buffers), at N and
  at N / 5: bounded by the block size, not by N;
* float32 against float64 at three temperatures around T_c(N, d);
* the numpy vs torch choice: one block's matrix product and exponential in each backend.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from thermodiff.denoisers import default_chunk_size, posterior_stats  # noqa: E402
from thermodiff.io import write_table  # noqa: E402
from thermodiff.rem import critical_temperature  # noqa: E402


def best_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_bytes(fn) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def backend_rows(b: int, n: int, d: int, repeats: int) -> list[tuple]:
    import torch

    rng = np.random.default_rng(1)
    rows = []
    for dtype in (np.float64, np.float32):
        x = rng.standard_normal((b, d)).astype(dtype)
        y = rng.standard_normal((n, d)).astype(dtype)
        a = (x @ y.T) * 1e-3
        arrays = {
            "numpy": (x, y, a, np.exp),
            "torch": (*map(torch.from_numpy, (x, y, a)), torch.exp),
        }
        name = np.dtype(dtype).name
        for lib, (xx, yy, aa, exp) in arrays.items():
            t_mm = best_time(lambda xx=xx, yy=yy: xx @ yy.T, repeats)
            t_exp = best_time(lambda aa=aa, exp=exp: exp(aa), repeats)
            rows.append((f"block_matmul_seconds_{lib}_{name}", t_mm, "s", f"{b}x{d} @ {d}x{n}"))
            rows.append((f"block_exp_seconds_{lib}_{name}", t_exp, "s", f"exp of {b}x{n}"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for rem_kernel.csv, or a .csv path")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--d", type=int, default=1000)
    parser.add_argument("--b", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    n, d, b = args.n, args.d, args.b
    rng = np.random.default_rng(0)
    y = rng.standard_normal((n, d))
    tc = float(critical_temperature(n, d))
    own = rng.choice(n, b, replace=False)
    x = y[own] + np.sqrt(tc) * rng.standard_normal((b, d))
    chunk = default_chunk_size(b, n)
    rows: list[tuple] = [
        ("shape_B_N_d", f"{b}x{n}x{d}", "", "queries x training points x dimension"),
        ("chunk_size", chunk, "rows", "default block of Y"),
        ("threads", len(__import__("os").sched_getaffinity(0)), "cores", "visible to BLAS"),
    ]

    t_mm = best_time(lambda: x @ y.T, args.repeats)
    # the same products block by block, as the kernel issues them (no 4 * B * N byte output)
    t_blocks = best_time(lambda: [x @ y[i : i + chunk].T for i in range(0, n, chunk)], args.repeats)
    t_stats = best_time(lambda: posterior_stats(x, y, tc, mean=False, own_index=own), args.repeats)
    t_mean = best_time(lambda: posterior_stats(x, y, tc, mean=True, own_index=own), args.repeats)
    flops = 2.0 * b * n * d
    rows += [
        ("blas_matmul_seconds", t_mm, "s", f"X @ Y.T, {flops / t_mm / 1e9:.1f} GFLOP/s"),
        ("kernel_stats_seconds", t_stats, "s", "log Z, Y2, entropy, max and own weight"),
        ("kernel_mean_seconds", t_mean, "s", "the same plus posterior mean and variance"),
        ("ratio_stats", t_mm / t_stats, "", "throughput vs one BLAS product (target >= 0.5)"),
        ("ratio_mean", t_mm / t_mean, "", "vs one BLAS product; ideal 0.5 (two products)"),
        ("blas_blocked_matmul_seconds", t_blocks, "s", f"X @ Y.T in blocks of {chunk} rows"),
        ("ratio_stats_vs_blocked", t_blocks / t_stats, "", "vs the blocked products"),
        ("ratio_mean_vs_blocked", t_blocks / t_mean, "", "vs the blocked products; ideal 0.5"),
    ]

    small = y[: n // 5]
    for label, data in (("N", y), ("N/5", small)):
        peak = peak_bytes(
            lambda data=data: posterior_stats(x, data, tc, mean=True, chunk_size=chunk)
        )
        rows.append((f"peak_bytes_kernel_{label}", peak, "B", f"N = {len(data)}, chunk {chunk}"))
    rows.append(("block_bytes_float64", b * chunk * 8, "B", "one B x chunk block of logits"))
    rows.append(("training_set_bytes", y.nbytes, "B", "input Y, for scale"))

    owns = own[:64]
    for factor in (0.1, 0.5, 1.0, 2.0):
        t = factor * tc
        xt = y[owns] + np.sqrt(t) * np.random.default_rng(2).standard_normal((len(owns), d))
        s64 = posterior_stats(xt, y, t, own_index=owns)
        s32 = posterior_stats(xt.astype(np.float32), y, t, own_index=owns, dtype=np.float32)
        for key in ("log_partition", "participation", "own_weight"):
            err = np.max(np.abs(getattr(s32, key) - getattr(s64, key)))
            rows.append(
                (f"float32_abs_error_{key}_T{factor:g}Tc", err, "", f"T = {t:.4g}, B = {len(owns)}")
            )
        err = np.max(np.abs(s32.mean.astype(np.float64) - s64.mean))
        rows.append(
            (f"float32_abs_error_mean_T{factor:g}Tc", err, "", f"T = {t:.4g}, B = {len(owns)}")
        )

    rows += backend_rows(b, 8192, d, max(args.repeats, 3))
    frame = pd.DataFrame(rows, columns=["metric", "value", "unit", "note"])
    out = args.out if args.out.suffix == ".csv" else args.out / "rem_kernel.csv"
    write_table(out, frame)
    print(frame.to_string(index=False))


if __name__ == "__main__":
    main()
