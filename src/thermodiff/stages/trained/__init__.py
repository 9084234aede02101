"""The trained stage (paper §12): training sets, sampler grids, probe summaries, claims and values,
one concept per module.

Glue between the data stage, the probes of :mod:`thermodiff.probes` and the estimators of
:mod:`thermodiff.estimators`, kept here so that the Snakemake scripts stay thin. Everything is a
pure function of arrays and parameters.

* Modules: :mod:`~thermodiff.stages.trained.training_sets`,
  :mod:`~thermodiff.stages.trained.denoiser_factories`, :mod:`~thermodiff.stages.trained.grids`,
  :mod:`~thermodiff.stages.trained.probe_runs`, :mod:`~thermodiff.stages.trained.probe_files` (the
  format the figure scripts read), :mod:`~thermodiff.stages.trained.seeds`,
  :mod:`~thermodiff.stages.trained.claims`, :mod:`~thermodiff.stages.trained.values`. This
  ``__init__`` imports nothing: a job imports the module it needs.
* Summaries (what the jobs save): :func:`training_set`, :func:`run_branching` (with
  :func:`summarize_branching`), :func:`run_trajectories`, :func:`run_commitment`,
  :func:`mixture_theory`, :func:`own_weight_crossing` (memorization job).
* ``claims(summaries, settings)`` from :func:`peak_claims`, :func:`exact_score_claims`,
  :func:`clone_agreement_claims`, :func:`commitment_claims`, :func:`memorization_claims`;
  ``values(summaries, settings)`` (keys ``trained.*``). ``summaries``: ``markers``,
  ``branching``, ``commitment`` (mappings dataset -> record, as the jobs wrote them), ``runs``
  (training records) and ``memorization`` (arrays of the memorization job); ``settings``:
  ``probes`` and ``noise`` (the config quoted in the text).

Training sets (``kind``):

* ``mixture``: the symmetric two-cluster mixture of the data stage; order parameter
  ``u = mu / |mu|``, classes by the side of the midplane.
* ``digits01``: 8x8 digits of classes 0 and 1, re-centred on their own mean; ``u`` = unit
  class-mean difference, classes by the side of the midplane between the class means.
* ``digits10``: all 1797 digits; ``u`` = top principal component, classes by the 1-NN label.
* ``digitsN<n>``: a random subset of ``n`` digits (memorization regime); its sampler grid uses
  the temperature scale of the full digits.

Time grids are geometric in the VE temperature and scaled by the set's reference temperature
``T_ref``, the mean-field ``T_c``: ``|mu|^2 - s2`` for the mixture (the root of
``lambda_max(chi(0)) = 1``, :func:`thermodiff.meanfield.two_cluster_critical_temperature`; its
``lambda_max = |mu|^2 + s2`` is not ``T_c``), ``lambda_max(C)`` for the digits, which have no exact
symmetry and hence no sharp transition (``lambda_max`` is the leading order of ``chi`` at the data
mean, ``C / T``; the root of ``T = lambda_max(Cov[y | x = mean, T])`` is kept as ``T_x0``): ``T`` from ``t_max_over_tc T_ref`` down to
``t_min_over_tc T_ref``. Peaks are reported in OU time ``s = log(1 + T) / 2`` (VP time,
:mod:`thermodiff.schedules`), on which the branch grid is nearly uniform.
"""
