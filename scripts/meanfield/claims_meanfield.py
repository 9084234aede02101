"""Claims and quoted values of the mean-field stage (paper §5-7)."""

from thermodiff import io as tio
from thermodiff.claims import write_claims
from thermodiff.macros import values_tex
from thermodiff.stages.meanfield import claims, values

tio.start_job(snakemake)
inp = snakemake.input
single = ("two_delta", "exponents", "four_point", "digits", "gaussian", "goldstone", "chain")
summaries = {name: tio.read_json(inp[name]) for name in single}
summaries |= {
    name: [tio.read_json(path) for path in inp[name]]
    for name in ("spheres", "couplings", "simplex")
}
settings = {}
write_claims(snakemake.output.claims, claims.claims(summaries, settings))
tio.write_text(snakemake.output.values, values_tex(values.values(summaries, settings)))
tio.finish_job(snakemake)
