"""fig30: CRN response of trained networks and exact scores against time, with the markers."""

import matplotlib.pyplot as plt
import numpy as np

from thermodiff import io as tio
from thermodiff import plotting
from thermodiff.schedules import ou_time_from_temperature
from thermodiff.stages.trained.probe_files import split_by_score

tio.start_job(snakemake)
plotting.use_style()
sets = snakemake.params.datasets
# Colours that cannot be confused: the closed form in vermillion on top of every band, the exact
# score in black, one blue-green hue per network seed, and the markers as distinct line styles
# (T_c grey dotted, T* orange dashed, drift curvature grey dash-dot).
THEORY, EXACT, T_STAR = "#D55E00", "k", "#E69F00"
SEED_COLORS = ["#0072B2", "#009E73", "#56B4E9", "#CC79A7"]
fig, axes = plt.subplots(1, len(sets), figsize=(min(2.35 * len(sets), 6.4), 3.3))
for ax, name, path, mpath in zip(
    np.atleast_1d(axes), sets, snakemake.input.arrays, snakemake.input.markers, strict=True
):
    scores, m = split_by_score(tio.load_npz(path)), tio.read_json(mpath)["markers"]
    seeds = sorted(s for s in scores if s not in ("theory", "exact"))
    for score in ["exact", *seeds] if "exact" in scores else seeds:  # no exact run for digits10
        d = scores[score]
        exact = score == "exact"
        color = EXACT if exact else SEED_COLORS[seeds.index(score) % len(SEED_COLORS)]
        ax.plot(d["s"], d["response"], marker="s" if exact else "o", ms=2.2, color=color,
                ls="--" if exact else "-", lw=1.0, zorder=3,
                label="exact score" if exact else f"network ({score})")  # fmt: skip
        ax.fill_between(d["s"], d["response"] - d["response_se"], d["response"] + d["response_se"],
                        alpha=0.15 if exact else 0.2, color=color, lw=0, zorder=2)  # fmt: skip
    if "theory" in scores:
        d = scores["theory"]
        ax.plot(ou_time_from_temperature(d["T"]), d["response"], color=THEORY, lw=1.6, zorder=4,
                label=r"closed form $E_{p_T}[u^\top\chi u]$")  # fmt: skip
    for key, style, lab in (  # T_c and T* per set (markers of thermodiff.stages.trained)
        ("meanfield", {"color": "0.35", "linestyle": ":"}, r"mean-field $T_c$"),
        ("decision", {"color": T_STAR, "linestyle": "--"}, r"predicted peak $T^*$"),
        ("drift", {"color": "0.35", "linestyle": "-."}, "drift curvature"),
    ):
        plotting.mark_critical(ax, m[f"s_{key}"], lab, zorder=1, **style)
    ax.set_title(f"{name} ($\\lambda_{{\\max}}={m['lambda_max']:.3g}$)")
    ax.set_xlabel(r"OU time $s=\frac{1}{2}\log(1+T)$")
np.atleast_1d(axes)[0].set_ylabel(r"CRN response $E[u\cdot\Delta x_0]/\delta$")
handles = {}
for ax in np.atleast_1d(axes):  # one legend for all panels, below them
    handles |= dict(zip(*ax.get_legend_handles_labels()[::-1], strict=True))
fig.legend(handles.values(), handles.keys(), loc="outside lower center", ncol=3, fontsize=7.5)
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
