"""Bodies and query strings Django refuses are JSON errors from the API, never HTML or a 500
(config/plumbing/exceptions.py; the checks are the harness's, the same in every demo)."""

import pytest

from demo_harness.limits import FORM, TOO_MANY_FIELDS, RequestLimitsContract
from hits.models import ApiHit

NOTES = "/api/notes/"


class TestRequestLimits(RequestLimitsContract):
    write_url = NOTES
    read_url = NOTES

    @pytest.fixture
    def limits_client(self, ann_client):
        return ann_client


def test_a_refused_body_is_still_recorded_as_a_hit(ann_client):
    ann_client.post(NOTES, TOO_MANY_FIELDS, content_type=FORM)

    hit = ApiHit.objects.get()
    assert (hit.method, hit.path, hit.status_code) == ("POST", NOTES, 400)
