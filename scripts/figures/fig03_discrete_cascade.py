"""fig03: symmetry-breaking cascade of discrete data: the (+-a, +-b) set and the digits."""

import matplotlib.pyplot as plt
import numpy as np

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
fp = tio.load_npz(snakemake.input.four_point)
dg = tio.load_npz(snakemake.input.digits)
summary = tio.read_json(snakemake.input.digits_summary)
plotting.use_style()
fig, axes = plt.subplots(2, 2, figsize=(6.4, 4.8), sharex="col")
t = fp["temperature"]
ax = axes[0, 0]
for k in range(fp["x"].shape[1]):
    ax.plot(t, np.abs(fp["x"][:, k]), label=f"$|x^*_{k + 1}|$")
for value in fp["measured"]:
    plotting.mark_critical(ax, value)
ax.set_ylabel("fixed-point component")
ax.set_title(r"(a) four points $(\pm a, \pm b)$", loc="left")
ax.legend(loc="upper right")
ax = axes[1, 0]
ax.plot(t, fp["chi_eigenvalues"][:, -1], color="C0", label=r"$\lambda_{\max}$")
ax.plot(t, fp["chi_eigenvalues"][:, 0], color="C0", ls="--", label=r"$\lambda_{\min}$")
plotting.mark_guide(ax, 1.0)
for value in fp["measured"]:
    plotting.mark_critical(ax, value)
ax.set_xscale("log")
ax.set_xlabel("temperature $T$")
ax.set_ylabel(r"eigenvalues of $\chi(x^*)$")
ax.legend(loc="lower left")

labels = {
    "raw": "raw digits",
    "symmetric": r"$D\cup -D$, raw norms",
    "symmetric_equal_norm": r"$D\cup -D$, equal norms",
}
td = dg["temperature"]
for i, (name, label) in enumerate(labels.items()):
    axes[0, 1].plot(td, dg[f"{name}_norm"], color=f"C{i}", label=label)
    axes[1, 1].plot(td, dg[f"{name}_lambda_max"], color=f"C{i}", label=label)
    if name in summary["measured"]:
        for ax in axes[:, 1]:
            plotting.mark_critical(ax, summary["measured"][name], color=f"C{i}")
axes[0, 1].set_ylabel(r"$\|x^* - \mu\|$")
axes[0, 1].set_title("(b) digits: transition vs crossover", loc="left")
axes[0, 1].legend(loc="lower left")
plotting.mark_guide(axes[1, 1], 1.0)
axes[1, 1].set_xscale("log")
axes[1, 1].set_xlabel("temperature $T$")
axes[1, 1].set_ylabel(r"$\lambda_{\max}(\chi(x^*))$")
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
