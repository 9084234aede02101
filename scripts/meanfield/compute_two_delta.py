"""Two deltas (paper §5.1): landscape, pitchfork with biased branches, bifurcation located."""

import numpy as np

from thermodiff import io as tio
from thermodiff import meanfield as mf

log = tio.start_job(snakemake)
p = snakemake.params
y = tio.load_dataset(snakemake.input.data)["y"]
a = float(np.abs(y[:, 0]).max())
t_c = mf.two_delta_critical_temperature(a)

temperatures = t_c * np.asarray(p.temperatures, dtype=float)
x = np.linspace(-p.x_max * a, p.x_max * a, p.n_grid)
tio.save_npz(
    snakemake.output.landscape,
    x=x,
    temperature=temperatures,
    free_energy=mf.two_delta_free_energy(x[None, :], temperatures[:, None], a),
    order_parameter=mf.two_delta_order_parameter(temperatures, a),
    a=a,
    critical_temperature=t_c,
)

t = t_c * np.linspace(p.pitchfork["t_min"], p.pitchfork["t_max"], p.pitchfork["n"])
stable = mf.two_delta_order_parameter(t, a)
fields = np.asarray(p.bias_fields, dtype=float)
tio.save_npz(
    snakemake.output.pitchfork,
    temperature=t,
    stable=stable,
    symmetric_stable=mf.two_delta_symmetric_branch_stable(t, a),
    chi_stable=mf.two_delta_susceptibility(stable, t, a),
    chi_symmetric=mf.two_delta_susceptibility(0.0, t, a),
    dressed=mf.two_delta_dressed_susceptibility(t, a),
    bias_fields=fields,
    majority=mf.two_delta_order_parameter(t[None, :], a, fields[:, None]),
    minority=-mf.two_delta_order_parameter(t[None, :], a, -fields[:, None]),
    a=a,
    critical_temperature=t_c,
)

measured = mf.locate_bifurcation(lambda s: mf.two_delta_order_parameter(s, a), 0.2 * t_c, 2 * t_c)
log.info("two deltas a=%g: T_c closed form %g, bifurcation located at %.12g", a, t_c, measured)
tio.write_json(snakemake.output.critical, {"a": a, "predicted": t_c, "measured": measured})
tio.finish_job(snakemake)
