"""Diffused Curie-Weiss data (paper §5.4): homogeneous fixed point and the generative T_c."""

import numpy as np

from thermodiff import io as tio
from thermodiff import ising
from thermodiff import meanfield as mf

log = tio.start_job(snakemake)
p = snakemake.params
y = tio.load_dataset(snakemake.input.data)["y"]
coupling, d_data = float(p.coupling), y.shape[1]
t_inf = ising.curie_weiss_critical_temperature(coupling)

ladder = np.asarray(p.extrapolation_dims)
ladder_tc = np.array(
    [ising.curie_weiss_finite_critical_temperature(int(d), coupling) for d in ladder]
)
extrapolated, change = ising.extrapolate_in_inverse_dimension(ladder, ladder_tc)
finite_dims = sorted({*p.finite_dims, d_data})
empirical_weights = ising.empirical_sector_log_weights(y)

t = t_inf * np.linspace(p.t_min, p.t_max, p.n)
arrays = {
    "temperature": t,
    "infinite": ising.curie_weiss_infinite_magnetisation(t, coupling),
    "finite_dims": finite_dims,
    "ladder_dims": ladder,
    "ladder_tc": ladder_tc,
    "empirical": ising.homogeneous_fixed_point(t, empirical_weights),
}
for d in finite_dims:
    arrays[f"finite_d{d}"] = ising.curie_weiss_homogeneous_fixed_point(t, d, coupling)
spins = (2 * np.arange(d_data + 1) - d_data) ** 2 / d_data
empirical_tc = float(np.exp(empirical_weights) @ spins)  # <M^2>/d of the samples
# independent route to the data-d T_c: where the homogeneous generative fixed point bifurcates
data_tc = ising.curie_weiss_finite_critical_temperature(d_data, coupling)
bifurcation = mf.locate_bifurcation(
    lambda t: ising.curie_weiss_homogeneous_fixed_point(t, d_data, coupling),
    0.7 * data_tc,
    1.3 * data_tc,
)
log.info(
    "b0J=%g: T_c(inf) %g, extrapolated %.10g (+- %.1e), data d=%d empirical %.4f",
    coupling,
    t_inf,
    extrapolated,
    change,
    d_data,
    empirical_tc,
)
tio.save_npz(snakemake.output.path, **arrays, coupling=coupling, critical_temperature=t_inf)
tio.write_json(
    snakemake.output.summary,
    {
        "coupling": coupling,
        "predicted": t_inf,
        "measured": extrapolated,
        "extrapolation_change": change,
        "ladder_dims": ladder,
        "ladder_tc": ladder_tc,
        "finite": {
            str(d): ising.curie_weiss_finite_critical_temperature(d, coupling) for d in finite_dims
        },
        "data_d": d_data,
        "data_n_samples": len(y),
        "empirical_tc": empirical_tc,
        "data_tc": data_tc,
        "bifurcation": bifurcation,
    },
)
