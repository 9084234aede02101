"""fig11: instability along generation: lambda_max(chi), ensemble variance, kick sensitivity."""

import matplotlib.pyplot as plt

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
s = tio.load_npz(snakemake.input.two_delta)
sp = tio.load_npz(snakemake.input.sphere)
dg = tio.load_npz(snakemake.input.digits)
t_c = float(s["t_c"])
plotting.use_style()
fig, axes = plt.subplots(1, 3, figsize=(6.4, 2.6))
t = s["record_temperature"] / t_c
axes[0].plot(t, s["lambda_max_mean"], "o-", ms=2, label="two deltas")
axes[0].plot(
    sp["record_temperature"] / sp["t_c"],
    sp["lambda_max_mean"],
    "s-",
    ms=2,
    label=f"sphere, $d={int(sp['d'])}$",
)
axes[0].plot(
    dg["record_temperature"] / dg["t_c"],
    dg["lambda_max_mean"],
    "^-",
    ms=2,
    label="digits, symmetrised",
)
axes[0].axhline(1.0, color="0.7", lw=0.7)
axes[0].set_ylabel(r"mean $\lambda_{\max}(\chi(x_T))$")
axes[0].set_title("(a) susceptibility", loc="left")
axes[0].legend()
axes[1].plot(t, s["variance"] / float(s["a"]) ** 2, "o", ms=2, label="ensemble")
axes[1].plot(t, 1 + t, "k-", lw=0.8, label=r"$a^2+T$ (exact $p_T$)")
axes[1].set_ylabel(r"variance of $x_T$ / $a^2$")
axes[1].set_yscale("log")
axes[1].set_title("(b) spread", loc="left")
axes[1].legend()
kt = s["kick_temperature"] / t_c
axes[2].errorbar(
    kt, s["sensitivity"], yerr=s["sensitivity_sem"], fmt="o", ms=2, label="kicked copies"
)
axes[2].plot(kt, s["sensitivity_exact"], "k-", lw=0.8, label="exact (same kick)")
axes[2].axvline(float(s["peak"]) / t_c, color="C3", ls="--", lw=1.0, label=r"measured $T^*$")
axes[2].set_ylabel(r"$\partial P(+)/\partial x$")
axes[2].set_title("(c) decision", loc="left")
axes[2].legend(loc="lower center")
for ax in axes:
    ax.set_xscale("log")
    plotting.mark_critical(ax, 1.0)
    ax.set_xlabel(r"$T/T_c$")
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
