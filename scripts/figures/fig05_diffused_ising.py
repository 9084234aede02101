"""fig05: diffused Curie-Weiss data: homogeneous fixed point (d -> inf, exact finite d, samples)
and the exact finite-d critical temperature converging to 1/(1 - beta0 J)."""

import matplotlib.pyplot as plt

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
plotting.use_style()
fig, (ax, bx) = plt.subplots(1, 2, figsize=(6.4, 2.8))
styles = ["--", (0, (1, 1)), "-."]
for i, path in enumerate(snakemake.input.couplings):
    s = tio.load_npz(path)
    color, b, t_c = f"C{i}", float(s["coupling"]), float(s["critical_temperature"])
    tau = s["temperature"] / t_c
    ax.plot(tau, s["infinite"], color=color, label=rf"$\beta_0J={b:g}$, $d\to\infty$")
    for j, d in enumerate(s["finite_dims"][::-1]):
        ax.plot(
            tau,
            s[f"finite_d{d}"],
            ls=styles[j % 3],
            color=color,
            lw=0.9,
            label=f"exact, $d={d}$" if i == 0 else None,
        )
    every = max(len(tau) // 20, 1)
    ax.plot(
        tau[::every],
        s["empirical"][::every],
        "o",
        mfc="none",
        color=color,
        ms=3,
        label="data samples" if i == 0 else None,
    )
    bx.plot(
        1e4 / s["ladder_dims"], s["ladder_tc"] / t_c, "o-", color=color, label=rf"$\beta_0J={b:g}$"
    )
    bx.plot([0], [1.0], "*", color=color, ms=7)
plotting.mark_critical(ax, 1.0)
ax.set_xlabel(r"temperature $T\,(1-\beta_0J)$")
ax.set_ylabel(r"homogeneous fixed point $u^*$")
ax.set_title("(a) generative magnetisation", loc="left")
ax.legend(loc="upper right", fontsize=7.5)
bx.set_xlabel(r"$10^4/d$")
bx.set_ylabel(r"$T_c(d)\,(1-\beta_0J)$")
bx.set_title(r"(b) exact finite-$d$ $T_c$; stars: $d\to\infty$", loc="left")
bx.legend(loc="lower left")
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
