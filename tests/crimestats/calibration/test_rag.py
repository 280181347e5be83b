"""The RAG status never shows red for noise (methods reference §4.7, §10.6)."""

from __future__ import annotations

import numpy as np
import pytest

from crimestats.calibration.grid import GridPoint, grid
from crimestats.calibration.rag import calibrate
from crimestats.methods.comparison import change_inference
from crimestats.methods.dispersion import DispersionResult
from crimestats.methods.rag import rag_baseline

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def test_false_reds_meet_the_target_on_the_quick_grid():
    points = grid(quick=True) + [GridPoint(30.0, 12.0, 0.2), GridPoint(3.0, 12.0, 0.0)]
    rows = calibrate(points, 800, np.random.default_rng(20261205))
    assert len(rows) == 2 * len(points)
    failed = [(r.verdict, r.point.label, r.false_alarm_rate) for r in rows if not r.meets_targets]
    assert not failed
    assert {r.nominal for r in rows} == {0.025, 0.05}


def test_the_old_poisson_rules_turn_red_on_noise_at_phi_4():
    rows = calibrate([GridPoint(100.0, 4.0, 0.2)], 400, np.random.default_rng(2), poisson=True)
    assert all(r.false_alarm_rate > 0.1 and not r.meets_targets for r in rows)


def test_calibration_uses_the_same_rule_as_rag_baseline():
    phi = DispersionResult(True, 3.0, 3.0, 36, "2021-01", "2023-12", 69.0, 23.0, 0, 0, 0, None)
    rng = np.random.default_rng(5)
    x1, x2 = rng.poisson(200, 40), rng.poisson(230, 40)
    p = change_inference(x1, x2, 12, 12, 3.0, 23.0).p
    for a, b, pv in zip(x1, x2, p, strict=True):
        colour = rag_baseline(int(a), int(b), dispersion=phi).colour
        expected = "green" if b <= a else ("red" if pv < 0.05 else "amber")
        assert colour == expected
