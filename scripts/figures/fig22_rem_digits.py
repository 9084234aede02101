"""fig22: condensation of the digits against the isotropic and spectral Gaussian predictions."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import ticker

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
r = tio.load_npz(snakemake.input.digits)
t = r["temperature"]
plotting.use_style()
fig, (ax, bx) = plt.subplots(1, 2, figsize=(6.4, 2.6), gridspec_kw={"width_ratios": [1.6, 1]})
for prefix, color, label in (("data", "C0", "digits"), ("surrogate", "C1", "Gaussian, same $C$")):
    ax.fill_between(
        t,
        r[f"{prefix}_own_weight_q25"],
        r[f"{prefix}_own_weight_q75"],
        color=color,
        alpha=0.2,
        lw=0,
    )
    ax.plot(t, r[f"{prefix}_own_weight_median"], color=color, label=label)
    ax.errorbar(
        r[f"{prefix}_crossing"], 0.5, xerr=r[f"{prefix}_crossing_err"], fmt="o", color=color, ms=4
    )
isotropic = r"isotropic $T_c$, $s^2=\mathrm{tr}\,C/d$"
plotting.mark_critical(ax, r["isotropic_tc"], isotropic, linestyle="--")
plotting.mark_critical(ax, r["spectrum_tc"], r"spectral $T_c$ of $C$")
ax.set(xscale="log", xlabel="temperature $T=\\sigma^2$", ylabel=r"own-point weight $w_{\rm own}$")
ax.set_title(f"(a) digits, $N={int(r['n_points'])}$, $d={int(r['dim'])}$", loc="left")
ax.legend(loc="lower left")
ax.xaxis.set_major_locator(ticker.LogLocator(subs=(1, 2, 5)))
ax.xaxis.set_major_formatter(ticker.FormatStrFormatter("%g"))
ax.xaxis.set_minor_formatter(ticker.NullFormatter())
lam = r["eigenvalues"]
bx.semilogy(np.arange(1, len(lam) + 1), np.clip(lam, 1e-8, None), "o", ms=2, color="C0")
plotting.mark_guide(bx, r["mean_variance"], r"isotropic $s^2$", linestyle="--")
bx.set(xlabel="principal component $i$", ylabel=r"variance $\lambda_i$", ylim=(1e-5, 2))
bx.set_title(f"(b) spectrum, $d_{{\\rm eff}}={float(r['effective_dim']):.1f}$", loc="left")
bx.legend(loc="upper right")
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
