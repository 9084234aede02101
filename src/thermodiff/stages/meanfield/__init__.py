"""The mean-field stage (paper §5–7): what its compute jobs save, and the claims and quoted
values built from those JSON summaries, one concept per module.

Summary builders (each returns ``(arrays, summary)``: the arrays a job saves as ``.npz`` and the
mapping it writes as JSON): :func:`four_point_cascade`, :func:`digits_cascade`,
:func:`sphere_solution`, :func:`diffused_ising_solution`, :func:`ising_chain_summary` (JSON only).

``claims(summaries)`` is assembled from :func:`two_delta_claims`, :func:`discrete_claims`,
:func:`sphere_claims`, :func:`ising_claims` and :func:`simplex_claims`; ``values(summaries)`` gives the ``meanfield.*``
keys. ``summaries`` has the summaries of the compute jobs under the input names of the
``claims_meanfield`` rule: ``two_delta``, ``exponents``, ``four_point``, ``digits``, ``gaussian``,
``goldstone``, ``chain`` (one mapping each), ``spheres``, ``couplings`` and ``simplex`` (one per
dimension / coupling / number of vertices q). Claim ids are ``meanfield.<topic>.<quantity>``.

Modules: :mod:`~thermodiff.stages.meanfield.two_delta` (§5.1 and the exponents of §6-7),
:mod:`~thermodiff.stages.meanfield.cascades` (§5.2), :mod:`~thermodiff.stages.meanfield.sphere`
(§5.3), :mod:`~thermodiff.stages.meanfield.ising` (§5.4), :mod:`~thermodiff.stages.meanfield.simplex`
(§7), :mod:`~thermodiff.stages.meanfield.claims` and :mod:`~thermodiff.stages.meanfield.values`.
This package's ``__init__`` imports nothing: a job imports the module it needs.
"""
