from datetime import timedelta

from dispatch.domain.eta_model import ErrorModel, horizon_bucket
from dispatch.domain.promise import half_width_for

MIN = 60.0


def test_without_observations_the_documented_default_applies():
    model = ErrorModel()
    for lead, ahead in ((timedelta(minutes=10), 0), (timedelta(hours=2), 5)):
        assert model.half_width(lead, ahead) == half_width_for(lead, ahead)


def test_the_fitted_width_follows_the_days_errors_and_grows_with_evidence():
    lead = timedelta(minutes=20)
    bucket = horizon_bucket(lead)
    calm = ErrorModel.fit([(bucket, e * MIN) for e in (1, -1, 2, -2, 1, 0, 1, -1)] * 4)
    rough = ErrorModel.fit([(bucket, e * MIN) for e in (25, -20, 30, -15, 22, 28, -25, 20)] * 4)
    default = half_width_for(lead, 1)
    assert calm.half_width(lead, 1) < default < rough.half_width(lead, 1)
    few = ErrorModel.fit([(bucket, 30 * MIN)])
    many = ErrorModel.fit([(bucket, 30 * MIN)] * 40)
    assert default < few.half_width(lead, 1) < many.half_width(lead, 1)


def test_horizon_buckets():
    assert horizon_bucket(timedelta(minutes=5)) == 0
    assert horizon_bucket(timedelta(minutes=45)) == 2
    assert horizon_bucket(timedelta(hours=10)) == 5
