"""The rem stage (paper §11): analyses of sampled pattern sets (:mod:`~thermodiff.stages.rem.analyses`),
their summary tables (:mod:`~thermodiff.stages.rem.tables`), claims (:mod:`~thermodiff.stages.rem.claims`)
and quoted values (:mod:`~thermodiff.stages.rem.values`). This ``__init__`` imports nothing. Physics (condensation temperatures, REM participation, cue sweeps, the generative
runs) is in :mod:`thermodiff.rem`; crossings and bootstrap errors come from
:mod:`thermodiff.estimators`.

* Summaries (what the compute jobs save): :func:`pattern_set_analysis`,
  :func:`real_data_analysis`, :func:`memorization_analysis` (one ``.npz`` each); the tables of
  :func:`crossing_row`, :func:`memorization_row`, :func:`memorization_onsets` and the theory curves
  :func:`critical_temperature_curves` (summarize job).
* ``claims(summaries, settings)`` from the per-topic builders :func:`grid_claims`,
  :func:`alpha_claims`, :func:`binary_claims`, :func:`memorization_claims`; ``values(summaries,
  settings)`` (keys ``rem.*``). ``summaries`` has ``crossings``, ``onsets``, ``runs`` (table rows)
  and ``digits`` (:func:`real_data_analysis`); ``settings`` has ``error_multiple`` (k: tolerances
  are k standard errors over independent pattern sets, plus stated theory bands), ``width_level``
  and, for the values only, ``settings`` / ``alpha`` / ``memorization`` (the configuration quoted
  in the text).
* Errors: every (d, N) is simulated on ``rem.n_datasets`` independent pattern sets;
  :func:`aggregate_crossings` and :func:`aggregate_onsets` average over them and take the
  standard error of the mean from their spread (the cue bootstrap of one set is kept for
  comparison only). Crossing temperatures are judged against the REM band
  ``[T_c(N-1), T_c((N-1)/2)]`` (:func:`thermodiff.rem.crossing_band`).

The own-point weight and the memorized fraction cross 1/2 where they fall for good: interpolated in
``(log T, logit)`` (:func:`thermodiff.estimators.half_crossing`), a straight line for a logistic crossover.
"""
