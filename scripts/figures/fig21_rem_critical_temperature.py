"""fig21: T_c(N, d) against N (theory lines, simulated crossings), finite-size ratio and width."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import ticker

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
table = pd.read_csv(snakemake.input.crossings)
curves = tio.load_npz(snakemake.input.curves)
grid, alpha = table[table.group == "grid"], table[table.group == "alpha"].sort_values("d")
plotting.use_style()
fig, (ax, bx, cx) = plt.subplots(1, 3, figsize=(6.4, 3.5))
MARKERS = "osD^vP"
n_dims = len(curves["dims"])
for i, d in enumerate(curves["dims"]):
    color, rows, label = f"C{i}", grid[grid.d == d].sort_values("n"), f"$d={int(d)}$"
    marker = MARKERS[i % len(MARKERS)]
    ax.plot(curves["n"], curves["tc"][i], color=color, label=label)
    ax.plot(curves["n"], curves["tc_large_d"][i], ":", lw=0.9, color=color)
    ax.errorbar(rows.n, rows.crossing, rows.crossing_err, fmt=marker, ms=3.5, color=color, mfc="w")
    # the d's share the same ln N: spread them sideways so that no marker hides another
    shift = 0.06 * (i - (n_dims - 1) / 2)
    r, e = rows.crossing_ratio, rows.crossing_ratio_err
    bx.errorbar(np.log(rows.n) + shift, r, e, fmt=marker + "-", ms=3.5, lw=0.9, color=color,
                mfc="w", label=label)  # fmt: skip
sizes = sorted(grid.n.unique())
for j, n in enumerate(sizes):  # one hue per N from a sequential map, distinct markers
    rows = grid[grid.n == n].sort_values("d")
    color = plt.cm.viridis(0.15 + 0.65 * j / max(len(sizes) - 1, 1))
    cx.errorbar(rows.d, rows.width, rows.width_err, fmt=MARKERS[j % len(MARKERS)] + "-", ms=3.5,
                lw=1.0, color=color, mfc="w", label=f"$N={n}$")  # fmt: skip
    cx.plot(rows.d, rows.annealed_width, ":", lw=1.0, color=color)
label = rf"fixed $\alpha$, $d={alpha.d.min()}$–${alpha.d.max()}$"
bx.errorbar(
    np.log(alpha.n), alpha.crossing_ratio, alpha.crossing_ratio_err, fmt="k^-", ms=3.5, lw=0.9,
    label=label,
)  # fmt: skip
cx.errorbar(
    alpha.d, alpha.width, alpha.width_err, fmt="k^-", ms=3.5, lw=1.0, label=r"fixed $\alpha$"
)
cx.plot(alpha.d, alpha.annealed_width, "k:", lw=1.0)
ax.plot([], [], "k:", lw=0.9, label=r"$s^2d/2\ln N$")
cx.plot([], [], "k:", lw=1.0, label="annealed")
ax.set(
    xscale="log",
    yscale="log",
    xlabel="training-set size $N$",
    ylabel="$T$",
    ylim=(0.3 * curves["tc"].min(), None),
)
ax.set_title("(a) $T_c$ (lines) and crossings", loc="left")
plotting.mark_critical(bx, 1.0, axis="y")
top = (table.crossing_ratio + table.crossing_ratio_err).max()
bx.set(xlabel=r"$\ln N$", ylabel=r"crossing $T_\times/T_c$", ylim=(0.9, 1.0 + 2.0 * (top - 1.0)))
bx.set_title("(b) finite-size shift", loc="left")
cx.set(xscale="log", yscale="log", xlabel="dimension $d$", ylabel=r"crossover width $\Delta\ln T$")
cx.set_title("(c) crossover width", loc="left")
for axis, subs in (
    (ax.xaxis, (1, 3)),
    (ax.yaxis, (1, 2, 5)),
    (cx.xaxis, (1, 2, 5)),
    (cx.yaxis, (1, 2, 5)),
):
    axis.set(
        major_locator=ticker.LogLocator(subs=subs),
        major_formatter=ticker.FormatStrFormatter("%g"),
        minor_formatter=ticker.NullFormatter(),
    )
for axes, ncol in ((ax, 2), (bx, 2), (cx, 2)):  # legends below the panels, never on the data
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=ncol, fontsize=7)
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
