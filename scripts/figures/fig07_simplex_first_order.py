"""fig07: regular-simplex data, first-order transition (q >= 3) against the pitchfork (q = 2), and
where exact-score reverse-SDE trajectories from x = 0 commit (q >= 3)."""

import matplotlib.pyplot as plt
import numpy as np

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
runs = sorted((tio.load_npz(path) for path in snakemake.input.simplex), key=lambda d: int(d["q"]))
plotting.use_style()
fig, (ax, bx, cx) = plt.subplots(1, 3, figsize=(6.4, 3.9))

# (a) free energy along a vertex direction, largest q, at T_sp, T_1 and T_sym
d = runs[-1]
q, r = int(d["q"]), float(d["radius"])
t_sym = float(d["predicted_instability_temperature"])
labels = (r"$T_{\rm sp}$ (broken minimum appears)", r"$T_1$ (equal depth)", r"$T_{\rm sym}$")
for t, f, label, style in zip(
    d["landscape_temperature"], d["landscape"], labels, ("-.", "-", "--"), strict=True
):
    ax.plot(d["phi"] / r, f / t_sym, style, label=f"{label}, $T={t / t_sym:.3f}\\,T_{{\\rm sym}}$")
plotting.mark_guide(ax, 0.0)
inside = (d["phi"] > 0) & (d["phi"] < 0.8 * r)
top = float(d["landscape"][0, inside].max()) / t_sym  # the shoulder at T_sp sets the scale
ax.set_ylim(-1.5 * top, 3.0 * top)
ax.set_xlabel(r"order parameter $\phi/r$ along a vertex")
ax.set_ylabel(r"$[F(\phi)-F(0)]/T_{\rm sym}$")
ax.set_title(f"(a) free energy, $q={q}$", loc="left")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22))  # below: inside it hid the curves

# (b) order parameter: stable/unstable branch, cooling and heating paths, per q
for k, d in enumerate(runs):
    q, r = int(d["q"]), float(d["radius"])
    t_sym = float(d["predicted_instability_temperature"])
    color = f"C{k}"
    tau, x = d["branch_temperature"] / t_sym, d["branch_order_parameter"] / r
    top = int(np.argmax(tau))  # spinodal: the branch folds back there
    bx.plot(tau[top:], x[top:], color=color, lw=1.2, label=f"$q={q}$ broken minimum")
    if q > 2:
        bx.plot(tau[:top], x[:top], ":", color=color, lw=0.9)
    temps = d["temperature"] / t_sym
    every = slice(k, None, 6)  # sparse, staggered markers: the paths lie on the branches
    bx.plot(temps[every], d["cooling"][every] / r, "v", color=color, ms=3, mfc="none", mew=0.6)
    bx.plot(temps[every], d["heating"][every] / r, "^", color=color, ms=3, mfc="none", mew=0.6)
    t1 = float(d["predicted_transition_temperature"]) / t_sym
    bx.plot([t1, t1], [0.0, float(d["predicted_order_parameter_jump"]) / r], color=color, lw=0.6)
plotting.mark_critical(bx, 1.0, r"$T_{\rm sym}=\lambda_{\max}$")
bx.plot([], [], "v", color="0.3", ms=3, mfc="none", label="cooling from $x=0$")
bx.plot([], [], "^", color="0.3", ms=3, mfc="none", label="heating from a vertex")
bx.set_xlim(float(runs[0]["temperature"].min() / runs[0]["predicted_instability_temperature"]),
            float(runs[0]["temperature"].max() / runs[0]["predicted_instability_temperature"]))  # fmt: skip
bx.set_ylim(-0.03, 1.0)
bx.set_xlabel(r"temperature $T/T_{\rm sym}$")
bx.set_ylabel(r"$|x^*|/r$")
bx.set_title("(b) order parameter", loc="left")  # short: 3 panels on 6.4 in
bx.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22))  # below: inside it hid the curves

# (c) reverse SDE from x = 0: mean projection on the committed vertex against the bridge
for k, d in enumerate(runs):
    q, r = int(d["q"]), float(d["radius"])
    if q < 3:
        continue
    t_sym = float(d["predicted_instability_temperature"])
    tau, mean, se = (
        d["generation_temperature"] / t_sym,
        d["generation_mean"] / r,
        d["generation_standard_error"] / r,
    )
    color = f"C{k}"
    cx.fill_between(tau, mean - 2 * se, mean + 2 * se, color=color, alpha=0.25, lw=0)
    cx.plot(tau, mean, color=color, lw=1.0, label=f"$q={q}$ reverse SDE")
    cx.plot(tau, d["generation_bridge"] / r, "--", color=color, lw=0.8)
    t1 = float(d["predicted_transition_temperature"]) / t_sym
    half = 0.5 * float(d["predicted_order_parameter_jump"]) / r
    cx.plot([t1], [half], "o", color=color, ms=3.5, mfc="none", mew=0.8)
plotting.mark_critical(cx, 1.0, r"$T_{\rm sym}$")
cx.plot([], [], "--", color="0.3", lw=0.8, label=r"bridge $r(1-T/T_0)$")
cx.plot([], [], "o", color="0.3", ms=3.5, mfc="none", label=r"($T_1$, half jump)")
cx.set_xlim(0.0, float(runs[-1]["generation_temperature"][0] / runs[-1]["predicted_instability_temperature"]))  # fmt: skip
cx.set_ylim(-0.03, 1.05)
cx.set_xlabel(r"temperature $T/T_{\rm sym}$")
cx.set_ylabel(r"$\langle x_T\cdot y_c\rangle/r^2$")
cx.set_title("(c) generation", loc="left")
cx.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22))  # below: inside it hid the curves
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
