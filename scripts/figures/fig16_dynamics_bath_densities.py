"""fig16: densities p_T(x)^M of the generative bath for several M and T, Gibbs histogram at T_c."""

import matplotlib.pyplot as plt
import numpy as np

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
baths = sorted((tio.load_npz(f) for f in snakemake.input.baths), key=lambda b: int(b["m"]))
ratios = baths[0]["density_ratios"]
plotting.use_style()
fig, axes = plt.subplots(
    1, len(ratios), figsize=(min(2.4 * len(ratios), 6.4), 2.4), sharey=False, squeeze=False
)
for j, r in enumerate(ratios):
    ax = axes[0, j]
    for i, b in enumerate(baths):
        a = float(b["a"])
        ax.plot(
            b[f"density_x_{j}"] / a,
            b[f"density_{j}"] * a,
            color=f"C{i}",
            label=f"$M={int(b['m'])}$",
        )
        if np.isclose(r, 1.0):
            e = b["hist_edges"] / a
            ax.stairs(b["hist"] * a, e, color=f"C{i}", lw=0.6, ls=":")
    ax.set_xlim(-1.6, 1.6)
    ax.set_xlabel(r"$x/a$")
    ax.set_title(rf"$T={r:g}\,T_c$", loc="left")
axes[0, 0].set_ylabel(r"$p_M(x)$")
axes[0, 0].legend()
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
