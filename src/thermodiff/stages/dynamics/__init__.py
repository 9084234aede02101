"""The dynamics stage (paper §7-10): generation as a physical process, with exact scores.

Physics lives in :mod:`thermodiff.dynamics` (ensembles of reverse-SDE / probability-flow
trajectories, kicks with common random numbers, free energy along paths, KS distances),
:mod:`thermodiff.instability` (decision temperature, slowing down), :mod:`thermodiff.bath` (the
generative bath) and :mod:`thermodiff.hopfield` (associative memory); peaks, crossings, slopes
and bootstrap errors come from :mod:`thermodiff.estimators`.

* Summary builders (what the compute jobs save, one ``.npz`` each), in
  :mod:`~thermodiff.stages.dynamics.decisions` (§7-8), :mod:`~thermodiff.stages.dynamics.baths` (§9)
  and :mod:`~thermodiff.stages.dynamics.recall` (§10): :func:`two_delta_summary`,
  :func:`four_point_summary`, :func:`sphere_summary`, :func:`digits_summary`,
  :func:`bath_summary` (one per bath size M),
  :func:`bath_above_summary` (above T_c, and M = 1 annealed: :func:`single_site_summary`),
  :func:`hopfield_summary` (one per dimension d).
* ``claims(summaries, settings)`` (:mod:`~thermodiff.stages.dynamics.claims`) from :func:`decision_claims`, :func:`adiabatic_claims`,
  :func:`bath_claims`, :func:`hopfield_claims`; ``values(summaries, settings)`` (:mod:`~thermodiff.stages.dynamics.values`, keys
  ``dynamics.*``). ``summaries`` has ``two_delta``, ``four_point``, ``sphere``, ``digits``, ``bath_above``
  (one mapping each), ``baths`` and ``hopfield`` (lists); ``settings`` has ``n_sigma``.

This ``__init__`` imports nothing: a job imports the module it needs.
"""
