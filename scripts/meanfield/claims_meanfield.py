"""Claims and quoted values of the mean-field stage."""

from thermodiff import io as tio
from thermodiff import meanfield_claims as mc
from thermodiff.macros import values_tex

tio.start_job(snakemake)
inp = snakemake.input
critical, exponents = tio.read_json(inp.two_delta), tio.read_json(inp.exponents)
four_point, digits = tio.read_json(inp.four_point), tio.read_json(inp.digits)
gaussian, goldstone = tio.read_json(inp.gaussian), tio.read_json(inp.goldstone)
spheres = [tio.read_json(path) for path in inp.spheres]
couplings = [tio.read_json(path) for path in inp.couplings]
chain = tio.read_json(inp.chain)
claims = [
    *mc.two_delta_claims(critical, exponents),
    *mc.discrete_claims(four_point, digits, gaussian),
    *mc.sphere_claims(spheres, goldstone),
    *mc.ising_claims(couplings, chain),
]
tio.write_claims(snakemake.output.claims, claims)
values = mc.meanfield_values(
    critical, exponents, four_point, digits, gaussian, spheres, goldstone, couplings, chain
)
tio.write_text(snakemake.output.values, values_tex(values))
