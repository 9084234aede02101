"""Claims and quoted values of the dynamics stage (paper §7-10)."""

from thermodiff import io as tio
from thermodiff.claims import write_claims
from thermodiff.macros import values_tex
from thermodiff.stages.dynamics import claims, values

tio.start_job(snakemake)
inp = snakemake.input
summaries = {
    k: tio.load_npz(inp[k]) for k in ("two_delta", "four_point", "sphere", "digits", "bath_above")
}
summaries |= {k: [tio.load_npz(f) for f in inp[k]] for k in ("baths", "hopfield")}
settings = {"n_sigma": snakemake.params.n_sigma}
write_claims(snakemake.output.claims, claims.claims(summaries, settings))
tio.write_text(snakemake.output.values, values_tex(values.values(summaries, settings)))
tio.finish_job(snakemake)
