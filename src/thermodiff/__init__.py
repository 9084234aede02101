"""thermodiff: the statistical thermodynamics of generative diffusion models, reproduced.

Physics and ML for the paper by L. Ambrogioni (arXiv 2310.17467, Entropy 27(3):291, 2025).

Conventions (one for the whole code base, owned by :mod:`thermodiff.schedules`):
variance-exploding forward process ``x = y + sigma * eps``; temperature ``T = sigma**2``;
inverse temperature ``beta = 1 / T``. Trained models may run a variance-preserving schedule,
converted to ``T`` only through :mod:`thermodiff.schedules`.

Physics modules are pure functions on arrays (no file I/O, no Snakemake). The I/O boundary
between Snakemake jobs and the library is :mod:`thermodiff.io` and :mod:`thermodiff.provenance`.
"""

__version__ = "0.1.0"
