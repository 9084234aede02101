"""One values.tex for the paper: every stage's values, the claim values, the build stamp."""

from thermodiff import io as tio

tio.start_job(snakemake)
parts = [*snakemake.input.stages, snakemake.input.claims, snakemake.input.build]
text = "".join(f"% from {path}\n" + open(path, encoding="utf-8").read() for path in parts)
tio.write_text(snakemake.output.values, text)
tio.finish_job(snakemake)
