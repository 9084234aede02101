"""fig12: critical slowing down: e-folding time of a perturbation of x = 0 against (T - T_c)/T."""

import matplotlib.pyplot as plt

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
s = tio.load_npz(snakemake.input.two_delta)
t, t_c = s["relax_temperature"], float(s["t_c"])
reduced = (t - t_c) / t
plotting.use_style()
fig, ax = plt.subplots(figsize=(3.4, 2.6))
ax.loglog(reduced, s["tau"], "o", ms=3, label="nonlinear flow (RK4)")
ax.loglog(reduced, s["tau_theory"], "k-", lw=0.8, label=r"$T/(T-T_c)$")
ax.set_xlabel(r"reduced temperature $(T-T_c)/T$")
ax.set_ylabel(r"relaxation time $\tau$")
ax.set_title(rf"slope $-{float(s['slowing_exponent']):.4f}$", loc="left")
ax.legend()
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
