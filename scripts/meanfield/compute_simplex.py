"""Regular-simplex data (q vertices): first-order transition, closed forms against the solver."""

import numpy as np

from thermodiff import estimators as est
from thermodiff import io as tio
from thermodiff import simplex as sx

log = tio.start_job(snakemake)
p = snakemake.params
y = tio.load_dataset(snakemake.input.data)["y"]
q, radius = len(y), float(np.linalg.norm(y, axis=1).max())
t_sym = sx.instability_temperature(q, radius)
predicted = {
    "instability_temperature": t_sym,
    "transition_temperature": sx.transition_temperature(q, radius),
    "spinodal_temperature": sx.spinodal_temperature(q, radius),
    "order_parameter_jump": sx.order_parameter_jump(q, radius),
}
m = sx.measure_transitions(
    y, p.bracket[0] * t_sym, p.bracket[1] * t_sym, n_starts=p.n_starts, rel_tol=p.rel_tol
)
measured = {
    "instability_temperature": m.instability,
    "transition_temperature": m.transition,
    "spinodal_temperature": m.spinodal,
    "order_parameter_jump": m.jump,
}
log.info("simplex q=%d: predicted %s, measured %s", q, predicted, measured)

temps = t_sym * np.linspace(p.grid["t_max"], p.grid["t_min"], p.grid["n"])
cooling, heating = sx.hysteresis(y, temps)
t_branch, x_branch = sx.broken_branch(np.geomspace(1e-3, 12.0, 600), q, radius)
landscape_t = np.array([predicted[k] for k in ("spinodal_temperature", "transition_temperature")])
landscape_t = np.concatenate([landscape_t, [t_sym]])
phi = np.linspace(-0.6 * radius, 1.05 * radius, 331)

# reverse-SDE trajectories from x = 0 through the window T_sym < T < T_1 (exact score)
g = p.generation
gen_t = t_sym * np.geomspace(g["t_start"], g["t_end"], g["n_steps"] + 1)
gen_mean, gen_se = sx.generation_order_parameter(y, gen_t, g["n_paths"], g["seed"])
level = 0.5 * predicted["order_parameter_jump"]  # halfway to the jump (q >= 3)
generation = None  # q = 2: no jump, the halfway level is degenerate
if q > 2:
    gen_cross = est.crossing(gen_t, gen_mean, level)
    k = int(np.argmin(np.abs(gen_t - gen_cross)))
    # reverse SDE from x = 0: T where the mean projection on the committed vertex first exceeds
    # half the jump, against the Brownian-bridge prediction T_0 (1 - jump / 2r); its standard
    # error goes through the predicted slope r / T_0 of the bridge mean
    generation = {
        "n_paths": g["n_paths"],
        "n_steps": g["n_steps"],
        "t_start": float(gen_t[0]),
        "level": level,
        "predicted_crossing": float(gen_t[0] * (1.0 - level / radius)),
        "measured_crossing": gen_cross,
        "crossing_standard_error": float(gen_se[k] * gen_t[0] / radius),
        "grid_step": float(gen_t[max(k - 1, 0)] - gen_t[k]),
    }
tio.save_npz(
    snakemake.output.path,
    temperature=temps,
    cooling=cooling,
    heating=heating,
    branch_temperature=t_branch,
    branch_order_parameter=x_branch,
    landscape_temperature=landscape_t,
    phi=phi,
    landscape=sx.vertex_free_energy(phi[None, :], landscape_t[:, None], q, radius),
    generation_temperature=gen_t,
    generation_mean=gen_mean,
    generation_standard_error=gen_se,
    generation_bridge=sx.bridge_order_parameter(gen_t, gen_t[0], radius),
    q=np.int64(q),
    radius=np.float64(radius),
    **{f"predicted_{k}": np.float64(v) for k, v in predicted.items()},
)
tio.write_json(
    snakemake.output.summary,
    {
        "q": q,
        "radius": radius,
        "predicted": predicted,
        "measured": measured,
        "vertex_alignment": m.vertex_alignment,
        "rel_tol": p.rel_tol,
        "n_starts": p.n_starts,
        "hessian_step": sx.HESSIAN_STEP,
        "symmetric_threshold": sx.SYMMETRIC_THRESHOLD,
        "free_energy_threshold": sx.FREE_ENERGY_THRESHOLD,
        "grid_step": float(abs(temps[1] - temps[0]) / t_sym),
        # adiabatic paths: where the followed minimum leaves x = 0 on cooling / returns on heating
        "cooling_jump_temperature": float(temps[np.argmax(cooling > 1e-6 * radius)]),
        "heating_jump_temperature": float(temps[::-1][np.argmax(heating[::-1] < 1e-6 * radius)]),
        "generation": generation,
    },
)
tio.finish_job(snakemake)
