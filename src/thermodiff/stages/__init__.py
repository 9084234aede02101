"""One package per stage of the workflow: its summaries, claims and quoted values.

Every stage package ``thermodiff.stages.<stage>`` has the same shape, one concept per module:

* summary builders, by topic: pure functions that return what a compute job of the stage saves;
* ``claims.claims(summaries, settings) -> list[Claim]``, assembled from small per-topic builders
  ``<topic>_claims(...)``;
* ``values.values(summaries, settings) -> dict``: the numbers the paper quotes, keys ``<stage>.*``.

A package's ``__init__`` imports nothing, so that a job imports only the module it needs (a
figure script that reads a probe file does not import torch or scipy).

``summaries`` maps the input names of the stage's ``claims_<stage>`` rule to what was read from
them; ``settings`` holds the rule's params that the claims or the text need. Physics lives in the
physics modules (``meanfield``, ``sphere``, ``ising``, ``rem``, ``probes``, ...), estimators of
crossings, peaks and bootstrap errors in :mod:`thermodiff.estimators`.

Claim ids are ``<stage>.<topic>.<quantity>`` (more dotted parts may follow, e.g. a dimension), with
``<stage>`` one of :data:`STAGES` (:func:`thermodiff.claims.check_claim_id`). The workflow's
``register_stage`` accepts only these names. This module imports nothing heavy: the Snakefile
reads it.
"""

STAGES = ("meanfield", "rem", "trained", "dynamics")
"""Registered stages, in the order their claims appear in the reproduction table."""


def coupling_label(value: float) -> str:
    """Text of a coupling in paths, wildcards and claim ids: 0.5 -> '0.5'."""
    return f"{float(value):g}"
