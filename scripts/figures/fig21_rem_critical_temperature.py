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
fig, (ax, bx, cx) = plt.subplots(1, 3, figsize=(7.0, 2.8))
for i, d in enumerate(curves["dims"]):
    color, rows, label = f"C{i}", grid[grid.d == d].sort_values("n"), f"$d={int(d)}$"
    ax.plot(curves["n"], curves["tc"][i], color=color, label=label)
    ax.plot(curves["n"], curves["tc_large_d"][i], ":", lw=0.9, color=color)
    ax.errorbar(rows.n, rows.crossing, rows.crossing_err, fmt="o", ms=3, color=color)
    r, e = rows.crossing_ratio, rows.crossing_ratio_err
    bx.errorbar(np.log(rows.n), r, e, fmt="o-", ms=3, color=color, label=label)
for j, n in enumerate(sorted(grid.n.unique())):
    rows, grey = grid[grid.n == n].sort_values("d"), plt.cm.Greys(0.4 + 0.2 * j)
    cx.errorbar(rows.d, rows.width, rows.width_err, fmt="s-", ms=3, color=grey, label=f"$N={n}$")
    cx.plot(rows.d, rows.annealed_width, ":", lw=0.9, color=grey)
label = rf"fixed $\alpha$, $d={alpha.d.min()}$–${alpha.d.max()}$"
bx.errorbar(
    np.log(alpha.n), alpha.crossing_ratio, alpha.crossing_ratio_err, fmt="k^-", ms=3, label=label
)
cx.errorbar(alpha.d, alpha.width, alpha.width_err, fmt="k^-", ms=3, label=r"fixed $\alpha$")
cx.plot(alpha.d, alpha.annealed_width, "k:", lw=0.9)
ax.plot([], [], "k:", lw=0.9, label=r"$s^2d/2\ln N$")
cx.plot([], [], "k:", lw=0.9, label="annealed")
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
cx.set(
    xscale="log", yscale="log", xlabel="dimension $d$", ylabel=r"width $\ln(T_{1-\ell}/T_{\ell})$"
)
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
for axes, where, ncol in ((ax, "lower left", 2), (bx, "upper center", 2), (cx, "upper right", 1)):
    axes.legend(loc=where, ncol=ncol, fontsize=6.5)
plotting.finish_figure(snakemake, fig, __file__)
