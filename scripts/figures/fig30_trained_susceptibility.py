"""fig30: CRN response of trained networks and exact scores against time, with the markers."""

import matplotlib.pyplot as plt
import numpy as np

from thermodiff import io as tio
from thermodiff import plotting
from thermodiff.schedules import ou_time_from_temperature
from thermodiff.stages.trained import split_by_score

tio.start_job(snakemake)
plotting.use_style()
sets = snakemake.params.datasets
fig, axes = plt.subplots(1, len(sets), figsize=(2.3 * len(sets), 2.9))
for ax, name, path, mpath in zip(
    np.atleast_1d(axes), sets, snakemake.input.arrays, snakemake.input.markers, strict=True
):
    scores, m = split_by_score(tio.load_npz(path)), tio.read_json(mpath)["markers"]
    for score, d in sorted(scores.items()):
        if score == "theory":
            ax.plot(ou_time_from_temperature(d["T"]), d["response"], color="0.55", lw=0.8,
                    label=r"$E_{p_T}[u^\top\chi u]$ (closed form)")  # fmt: skip
            continue
        exact = score == "exact"
        color = "k" if exact else None
        line = ax.plot(d["s"], d["response"], marker="o", ms=2, color=color, ls="--" if exact else "-",
                       label="exact score" if exact else f"network ({score})")[0]  # fmt: skip
        ax.fill_between(d["s"], d["response"] - d["response_se"], d["response"] + d["response_se"],
                        alpha=0.25, color=line.get_color(), lw=0)  # fmt: skip
    tau = m["T_decision"] / m["T_meanfield"]
    for key, ls, lab in (("meanfield", ":", r"$T_c=\lambda_{\max}$"),
                         ("decision", "-", rf"$T^*={tau:.3f}\,T_c$"),
                         ("drift", "-.", "drift curvature")):  # fmt: skip
        plotting.mark_critical(ax, m[f"s_{key}"], lab, linestyle=ls)
    ax.set_title(f"{name} ($\\lambda_{{\\max}}={m['lambda_max']:.3g}$)")
    ax.set_xlabel(r"OU time $s=\frac{1}{2}\log(1+T)$")
np.atleast_1d(axes)[0].set_ylabel(r"CRN response $E[u\cdot\Delta x_0]/\delta$")
handles = {}
for ax in np.atleast_1d(axes):  # one legend for all panels, below them
    handles |= dict(zip(*ax.get_legend_handles_labels()[::-1], strict=True))
fig.legend(handles.values(), handles.keys(), loc="outside lower center", ncol=4, fontsize=6)
plotting.finish_figure(snakemake, fig, __file__)
