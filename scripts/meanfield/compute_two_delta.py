"""Two deltas (paper §5.1): free-energy landscape across T_c and the bifurcation located numerically."""

import numpy as np

from thermodiff import io as tio
from thermodiff import meanfield as mf

log = tio.start_job(snakemake)
y = tio.load_dataset(snakemake.input.data)["y"]
a = float(np.abs(y[:, 0]).max())
t_c = mf.two_delta_critical_temperature(a)
temperatures = t_c * np.asarray(snakemake.params.temperatures, dtype=float)
x = np.linspace(-snakemake.params.x_max * a, snakemake.params.x_max * a, snakemake.params.n_grid)
free_energy = mf.two_delta_free_energy(x[None, :], temperatures[:, None], a)
tio.save_npz(
    snakemake.output.landscape,
    x=x,
    temperature=temperatures,
    free_energy=free_energy,
    order_parameter=mf.two_delta_order_parameter(temperatures, a),
    a=a,
    critical_temperature=t_c,
)
measured = mf.locate_bifurcation(lambda t: mf.two_delta_order_parameter(t, a), 0.2 * t_c, 2 * t_c)
log.info("two deltas a=%g: T_c closed form %g, bifurcation located at %.10g", a, t_c, measured)
tio.write_json(snakemake.output.critical, {"a": a, "predicted": t_c, "measured": measured})
