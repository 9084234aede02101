"""fig20: participation Y2 and own-point weight against T/T_c; sharpening at fixed alpha."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import ticker

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
cells = [tio.load_npz(path) for path in snakemake.input.cells]
n_max = max(int(c["n_points"]) for c in cells)
cells = sorted((c for c in cells if int(c["n_points"]) == n_max), key=lambda c: int(c["dim"]))
alpha = sorted((tio.load_npz(p) for p in snakemake.input.alpha), key=lambda c: int(c["dim"]))
plotting.use_style()
fig, axes = plt.subplots(1, 3, figsize=(6.4, 2.7))
for i, c in enumerate(cells):
    color, label = f"C{i}", f"$d={int(c['dim'])}$"
    r = c["ratio"]
    axes[0].plot(r, c["population_participation_mean"], "o-", ms=2, color=color, label=label)
    axes[0].plot(r, c["rem_participation"], "--", lw=0.9, color=color)
    if i in (0, len(cells) - 1):  # quartile bands of the extreme dimensions only, for legibility
        axes[1].fill_between(
            r, c["own_weight_q25"], c["own_weight_q75"], color=color, alpha=0.15, lw=0
        )
    axes[1].plot(r, c["own_weight_median"], color=color, label=label)
    axes[1].plot(r, c["annealed_own_weight"], ":", lw=0.9, color=color)
for i, c in enumerate(alpha):
    label = f"{int(c['dim'])} ({int(c['n_points'])})"
    axes[2].plot(
        c["ratio"], c["own_weight_median"], color=plt.cm.viridis(i / len(alpha)), label=label
    )
axes[0].set_ylabel(r"participation $Y_2=\sum_n w_n^2$")
axes[0].set_title(f"(a) population cues, $N={n_max}$", loc="left")
axes[1].set_ylabel(r"own-point weight $w_{\rm own}$")
axes[1].set_title(f"(b) training-point cues, $N={n_max}$", loc="left")
axes[2].set_ylabel(r"median $w_{\rm own}$")
a = np.log(float(alpha[0]["n_points"])) / int(alpha[0]["dim"])
axes[2].set_title(rf"(c) fixed $\alpha=\ln N/d\approx{a:.2g}$", loc="left")
axes[0].plot([], [], "k--", lw=0.9, label=r"REM $1-\mu$")
axes[1].plot([], [], "k:", lw=0.9, label="annealed")
for ax, xlim, where in zip(
    axes,
    [(0.1, 10), (0.3, 3.5), (0.3, 3.5)],
    ["upper right", "upper right", "lower left"],
    strict=True,
):
    ax.set(xscale="log", xlabel=r"$T/T_c(N,d)$", xlim=xlim, ylim=(-0.02, 1.02))
    plotting.mark_critical(ax, 1.0)
    ax.legend(loc=where, title="$d$ ($N$)" if ax is axes[2] else None, title_fontsize=7)
for ax in axes[1:]:
    ax.xaxis.set_major_locator(ticker.LogLocator(subs=(1, 2, 5)))
    ax.xaxis.set_major_formatter(ticker.FormatStrFormatter("%g"))
    ax.xaxis.set_minor_formatter(ticker.NullFormatter())
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
