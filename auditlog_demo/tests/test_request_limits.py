"""Bodies and query strings Django refuses are JSON errors from the API, never HTML or a 500."""

import pytest

from hits.models import ApiHit

NOTES = "/api/notes/"
FORM = "application/x-www-form-urlencoded"
TOO_MANY_FIELDS = "&".join(f"f{i}=1" for i in range(1001))  # DATA_UPLOAD_MAX_NUMBER_FIELDS is 1,000


@pytest.mark.parametrize("debug", [True, False])
def test_a_body_past_the_upload_limit_is_a_413_in_json(ann_client, settings, debug):
    settings.DEBUG = debug
    body = '{"title": "' + "a" * (3 * 1024 * 1024) + '"}'  # past DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)

    response = ann_client.post(NOTES, body, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large."}


@pytest.mark.parametrize("debug", [True, False])
def test_a_form_with_too_many_fields_is_a_400_in_json(ann_client, settings, debug):
    settings.DEBUG = debug

    response = ann_client.post(NOTES, TOO_MANY_FIELDS, content_type=FORM)

    assert response.status_code == 400
    assert response.json() == {"detail": "The request has too many fields."}


@pytest.mark.parametrize("debug", [True, False])
def test_a_query_string_with_too_many_fields_is_a_400_in_json(ann_client, settings, debug):
    # Under DEBUG this escaped Django's handler altogether: the server's bare 500 page.
    settings.DEBUG = debug
    ann_client.raise_request_exception = False

    response = ann_client.get(f"{NOTES}?{TOO_MANY_FIELDS}")

    assert response.status_code == 400
    assert response.json() == {"detail": "The request has too many fields."}


def test_a_refused_body_is_still_recorded_as_a_hit(ann_client):
    ann_client.post(NOTES, TOO_MANY_FIELDS, content_type=FORM)

    hit = ApiHit.objects.get()
    assert (hit.method, hit.path, hit.status_code) == ("POST", NOTES, 400)
