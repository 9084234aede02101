"""fig04: hypersphere order parameter against the Landau form, susceptibilities, heat capacity."""

import matplotlib.pyplot as plt

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
plotting.use_style()
fig, (ax, bx, cx) = plt.subplots(1, 3, figsize=(6.4, 2.5))
for i, path in enumerate(snakemake.input.spheres):
    s = tio.load_npz(path)
    d, r, t_c = int(s["d"]), float(s["radius"]), float(s["critical_temperature"])
    tau, color = s["temperature"] / t_c, f"C{i}"
    ax.plot(tau, s["order_parameter"] / r, color=color, label=f"$d={d}$")
    ax.plot(tau, s["landau"] / r, ":", color=color, lw=1.0)
    bx.plot(tau, s["chi_parallel"], color=color, label=f"$d={d}$")
    if i == 0:
        bx.plot(tau, s["chi_perp"], color="k", lw=1.0, ls="--", label=r"$\chi_\perp$ (all $d$)")
    cx.plot(tau, s["heat_capacity"] / ((d + 2) / 2), color=color, label=f"$d={d}$")
for axis in (ax, bx, cx):
    plotting.mark_critical(axis, 1.0)
    axis.set_xlabel(r"temperature $T/T_c$")
ax.set_ylabel(r"$\|x^*\|/r$")
ax.set_ylim(0, 1.05)
ax.set_title("(a) order parameter", loc="left")
ax.legend(loc="upper right")
bx.set_ylabel(r"$\chi_\parallel$ (solid), $\chi_\perp$ (dashed)")
bx.set_title("(b) susceptibility", loc="left")
bx.legend(loc="lower right")
cx.set_ylabel(r"$C \,/\, [(d+2)/2]$")
cx.set_title("(c) heat capacity", loc="left")
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
