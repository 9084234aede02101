"""Concatenate the stages' claims into claims.csv, its LaTeX table and the claim values.

Every id is checked: ``<stage>.<topic>.<quantity>`` (:class:`thermodiff.claims.Claim` refuses
other shapes) with ``<stage>`` registered in :data:`thermodiff.stages.STAGES` and equal to the name
of the stage file it comes from.
"""

from pathlib import Path

import pandas as pd

from thermodiff import io as tio
from thermodiff.claims import COLUMNS, Claim, check_claim_id
from thermodiff.macros import (
    claim_counts,
    claim_values,
    claims_table_latex,
    failed_claims_latex,
    section_order,
    values_tex,
)
from thermodiff.stages import STAGES

log = tio.start_job(snakemake)
frames = [pd.read_csv(path, dtype=str, keep_default_na=False) for path in snakemake.input]
for path, frame in zip(snakemake.input, frames, strict=True):
    stray = [i for i in frame["claim_id"] if i.split(".")[0] != Path(path).stem]
    if stray:  # claims/<stage>.csv holds only <stage>.* ids
        raise tio.InputError(f"{path}: claim ids outside stage {Path(path).stem!r}: {stray}")
    for claim_id in frame["claim_id"]:
        check_claim_id(claim_id, STAGES)
table = pd.concat(frames, ignore_index=True)
if list(table.columns) != list(COLUMNS):
    raise tio.InputError(f"claim files must have columns {COLUMNS}, got {list(table.columns)}")
duplicated = table["claim_id"][table["claim_id"].duplicated()].tolist()
if duplicated:
    raise tio.InputError(f"claim ids defined twice: {duplicated}")
rows = table.to_dict("records")
# the table lists the claims in the order of the sections that discuss them
ordered = section_order(rows, snakemake.params.topics)
claims = [Claim(**{**row, "passed": row["passed"] == "True"}) for row in rows]
log.info("%d claims, %d passed", len(claims), sum(c.passed for c in claims))
for claim in claims:
    if not claim.passed:
        log.warning(
            "claim %s FAILED: predicted %s, measured %s; stated reason: %s",
            claim.claim_id,
            claim.predicted,
            claim.measured,
            claim.if_failed or "none",
        )
tio.write_table(snakemake.output.claims, table)
tio.write_text(snakemake.output.table, claims_table_latex(ordered) + failed_claims_latex(ordered))
tio.write_text(snakemake.output.values, values_tex(claim_values(claims) | claim_counts(claims)))
tio.finish_job(snakemake)
