"""Time and temperature conventions (docs/theory.md §Conventions)."""

import numpy as np
import pytest

from thermodiff import schedules as s


def test_vp_and_ou_maps_are_inverse():
    t = np.array([0.01, 0.5, 1.0, 7.0])
    np.testing.assert_allclose(s.temperature_from_alpha_bar(s.alpha_bar_from_temperature(t)), t)
    np.testing.assert_allclose(s.temperature_from_ou_time(s.ou_time_from_temperature(t)), t)
    np.testing.assert_allclose(
        s.theta_from_ou_time(s.ou_time_from_temperature(t)) ** 2, s.alpha_bar_from_temperature(t)
    )


@pytest.mark.parametrize(("t_c", "step"), [(1.0, 259), (0.7, 226), (0.5, 197), (2.0, 327)])
def test_ddpm_step_of_critical_temperature(t_c, step):
    assert abs(s.ddpm_step_from_temperature(t_c) - step) <= 1


def test_vp_sde_time_of_unit_temperature():
    assert s.vp_sde_time_from_temperature(1.0) == pytest.approx(0.259, abs=1e-3)
