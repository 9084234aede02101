"""Claims and quoted values of the trained stage (paper §12)."""

from thermodiff import io as tio
from thermodiff.claims import write_claims
from thermodiff.macros import values_tex
from thermodiff.stages.trained import claims, values

tio.start_job(snakemake)
inp = snakemake.input
summaries = {
    "markers": {r["dataset"]: r for r in map(tio.read_json, inp.markers)},
    "branching": {r["dataset"]: r["scores"] for r in map(tio.read_json, inp.branching)},
    "commitment": {r["dataset"]: r["scores"] for r in map(tio.read_json, inp.commitment)},
    "runs": [tio.read_json(path) for path in inp.runs],
    "memorization": tio.load_npz(inp.memorization),
}
settings = {
    "probes": snakemake.params.probes,
    "noise": snakemake.params.noise,
    "two_cluster": snakemake.params.two_cluster,
}
write_claims(snakemake.output.claims, claims.claims(summaries, settings))
tio.write_text(snakemake.output.values, values_tex(values.values(summaries, settings)))
tio.finish_job(snakemake)
