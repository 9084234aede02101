"""fig01: two-delta free energy F(x, T) from single to double well across T_c."""

import matplotlib.pyplot as plt
import numpy as np

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
d = tio.load_npz(snakemake.input.landscape)
a, t_c = float(d["a"]), float(d["critical_temperature"])
plotting.use_style()
fig, ax = plt.subplots(figsize=(3.4, 2.6))
colors = plt.cm.coolwarm(np.linspace(1.0, 0.0, len(d["temperature"])))
for t, f, x_star, color in zip(
    d["temperature"], d["free_energy"], d["order_parameter"], colors, strict=True
):
    offset = f[len(f) // 2]  # F(0, T): align the curves at the origin
    ax.plot(d["x"] / a, (f - offset) / a**2, color=color, label=f"$T/T_c = {t / t_c:g}$")
    if x_star > 1e-9:
        f_min = np.interp(x_star, d["x"], f) - offset
        ax.plot([-x_star / a, x_star / a], [f_min / a**2] * 2, "o", color=color, ms=3)
ax.set_xlabel(r"noisy state $x / a$")
ax.set_ylabel(r"$[F(x,T) - F(0,T)] / a^2$")
ax.set_ylim(-0.6, 1.2)
ax.legend(loc="upper center", ncol=2)
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
