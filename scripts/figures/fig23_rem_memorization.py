"""fig23: memorized fraction of samples generated with the exact empirical score."""

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import ticker

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
runs = [tio.load_npz(path) for path in snakemake.input.runs]
onsets = pd.read_csv(snakemake.input.onsets).sort_values("d")
d_max = max(int(r["dim"]) for r in runs)
plotting.use_style()
fig, (ax, bx) = plt.subplots(1, 2, figsize=(6.4, 2.6))
mine = sorted((r for r in runs if int(r["dim"]) == d_max), key=lambda r: int(r["n_points"]))
for j, r in enumerate(mine):
    color = plt.cm.viridis(0.85 * j / max(len(mine) - 1, 1))
    ax.plot(
        r["temperature"] / r["predicted_tc"],
        r["memorized_fraction"],
        color=color,
        label=f"$N={int(r['n_points'])}$",
    )
plotting.mark_critical(ax, 1.0)
ax.set(xscale="log", xlabel=r"$T/T_c(N,d)$ along the reverse SDE", ylabel="memorized fraction")
ax.set_title(f"(a) $d={d_max}$: denoised output is a copy", loc="left")
ax.legend(loc="upper right")
for i, row in enumerate(onsets.itertuples()):
    mine = sorted((r for r in runs if int(r["dim"]) == row.d), key=lambda r: int(r["n_points"]))
    n = [int(r["n_points"]) for r in mine]
    f = [r["memorized_at_stop"].mean() for r in mine]
    err = [(x * (1 - x) / r["memorized_at_stop"].size) ** 0.5 for x, r in zip(f, mine, strict=True)]
    bx.errorbar(
        n,
        f,
        err,
        fmt="o-",
        ms=3,
        color=f"C{i}",
        label=f"$d={row.d}$, $T_{{\\rm stop}}={row.stop_temperature:g}$",
    )
    plotting.mark_critical(bx, row.n_max, color=f"C{i}")
plotting.mark_guide(bx, 0.5)
bx.set(
    xscale="log",
    xlabel="training-set size $N$",
    ylabel="memorized fraction at $T_{\\rm stop}$",
    ylim=(-0.02, 1.02),
)
bx.set_title(r"(b) stopped at $T_{\rm stop}$; dotted: $N_{\max}(T_{\rm stop})$", loc="left")
bx.legend(loc="upper right")
bx.xaxis.set_major_locator(ticker.LogLocator(subs=(1, 3)))
bx.xaxis.set_major_formatter(ticker.FormatStrFormatter("%g"))
bx.xaxis.set_minor_formatter(ticker.NullFormatter())
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
