"""Calibration by simulation (methods reference §10.6): is every verdict wrong no more often than
it says?

Series are drawn from Poisson and negative-binomial models with known truth (:mod:`.grid`); each
verdict module here (``change``, ``control``, ``trend``, ``hotspots``, ``harm``, ``rag`` …) runs the
platform's own method on them and reports, per grid point, the false-alarm rate under no change
and the coverage of its 95 % intervals as :class:`~crimestats.calibration.grid.CalibrationRow`.
The quick grid runs in ``make test``; the full grid in ``make bench`` writes
``docs/calibration.md``.
"""
