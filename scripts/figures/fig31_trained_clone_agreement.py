"""fig31: clone (branching) agreement of the final class against the branch time."""

import matplotlib.pyplot as plt
import numpy as np

from thermodiff import io as tio
from thermodiff import markers, plotting
from thermodiff.schedules import ou_time_from_temperature
from thermodiff.stages.trained.probe_files import split_by_score

tio.start_job(snakemake)
plotting.use_style()
sets = snakemake.params.datasets
fig, axes = plt.subplots(1, len(sets), figsize=(min(2.3 * len(sets), 6.4), 2.8), sharey=True)
for ax, name, path, mpath in zip(
    np.atleast_1d(axes), sets, snakemake.input.arrays, snakemake.input.markers, strict=True
):
    scores, m = split_by_score(tio.load_npz(path)), tio.read_json(mpath)["markers"]
    for score, d in sorted(scores.items()):
        if score == "theory":
            ax.plot(ou_time_from_temperature(d["T"]), d["agreement"], color="0.55", lw=0.8,
                    label="closed form")  # fmt: skip
            continue
        exact = score == "exact"
        ax.errorbar(d["s"], d["agreement"], d["agreement_se"], marker="o", ms=2, capsize=0,
                    color="k" if exact else None, ls="--" if exact else "-",
                    label="exact score" if exact else f"network ({score})")  # fmt: skip
    phi_c = float(markers.mixture_clone_agreement(1.0, 1.0))  # its value at T_c, two-state data
    plotting.mark_guide(ax, phi_c, rf"$\varphi_c={phi_c:.4f}$ (value at $T_c$)")
    plotting.mark_critical(ax, m["s_meanfield"], label=r"$T_c=\lambda_{\max}$")
    ax.set_title(name)
    ax.set_xlabel(r"branch time $s=\frac{1}{2}\log(1+T)$")
np.atleast_1d(axes)[0].set_ylabel(r"clone agreement $\varphi$")
handles = {}
for ax in np.atleast_1d(axes):  # one legend for all panels, below them
    handles |= dict(zip(*ax.get_legend_handles_labels()[::-1], strict=True))
fig.legend(handles.values(), handles.keys(), loc="outside lower center", ncol=4, fontsize=7.5)
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
