"""fig06: critical exponents of the two-delta model measured by log-log fits."""

import matplotlib.pyplot as plt

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
f = tio.load_npz(snakemake.input.fits)
s = tio.read_json(snakemake.input.summary)
plotting.use_style()
fig, axes = plt.subplots(2, 2, figsize=(6.4, 4.8))


def fitted(ax, x, fit, color, label):
    ax.plot(
        x,
        fit["amplitude"] * x ** fit["slope"],
        color=color,
        lw=0.8,
        label=f"{label}: slope {fit['slope']:.4f}",
    )


ax = axes[0, 0]
ax.loglog(f["beta_eps"], f["beta_phi"], "o", mfc="none", color="C0")
fitted(ax, f["beta_eps"], s["beta"], "C0", r"$x^*$")
ax.set_xlabel(r"$(T_c - T)/T_c$")
ax.set_ylabel(r"order parameter $x^*$")
ax.set_title(r"(a) $\beta$", loc="left")
ax = axes[0, 1]
ax.loglog(f["gamma_eps"], f["chi_above"], "o", mfc="none", color="C1")
ax.loglog(f["gamma_eps"], f["chi_below"], "s", mfc="none", color="C2")
fitted(ax, f["gamma_eps"], s["gamma_above"], "C1", "above")
fitted(ax, f["gamma_eps"], s["gamma_below"], "C2", "below")
ax.set_xlabel(r"$|T - T_c|/T_c$")
ax.set_ylabel(r"dressed susceptibility $dx^*/dh$")
ax.set_title(rf"(b) $\gamma$; amplitude ratio {s['gamma_ratio']:.4f}", loc="left")
ax = axes[1, 0]
ax.loglog(f["delta_field"], f["delta_phi"], "o", mfc="none", color="C3")
fitted(ax, f["delta_field"], s["delta"], "C3", r"$x^*(T_c,h)$")
ax.set_xlabel("bias field $h$")
ax.set_ylabel(r"$x^*$ at $T = T_c$")
ax.set_title(rf"(c) $\delta = {1 / s['delta']['slope']:.4f}$", loc="left")
ax = axes[1, 1]
t_c = float(f["critical_temperature"])
tau, c = f["c_temperature"] / t_c, f["c_value"]
ax.plot(tau[tau < 1], c[tau < 1], color="C4")
ax.plot(tau[tau > 1], c[tau > 1], color="C4")
jump = s["heat_capacity"]
ax.plot(
    [1, 1],
    [jump["above"], jump["below"]],
    "o",
    color="k",
    ms=3,
    label=rf"extrapolated jump $\Delta C = {jump['jump']:.4f}$",
)
plotting.mark_critical(ax, 1.0)
ax.set_xlabel(r"temperature $T/T_c$")
ax.set_ylabel(r"$C = -T\,\partial_T^2 F^*$")
ax.set_title(r"(d) $\alpha = 0$: finite jump", loc="left")
for axis in axes.flat:
    axis.legend(loc="best")
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
