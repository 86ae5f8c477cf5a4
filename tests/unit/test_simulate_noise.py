"""The simulator's noise is right on average: a plan is uncertain, not biased."""

import math
import random
import statistics

import pytest

from dispatch.services.simulate import mean_one_lognormal


@pytest.mark.parametrize("sigma", [0.25, 0.30, 0.6])
def test_the_noise_has_mean_one(sigma: float) -> None:
    rng = random.Random(7)
    draws = [mean_one_lognormal(rng, sigma) for _ in range(40_000)]
    assert statistics.fmean(draws) == pytest.approx(1.0, abs=0.01)
    spread = statistics.stdev(math.log(d) for d in draws)
    assert spread == pytest.approx(sigma, rel=0.03)
