"""Regular-simplex data (q vertices): first-order transition, closed forms against the solver."""

import numpy as np

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
    },
)
