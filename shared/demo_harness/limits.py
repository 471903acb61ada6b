"""The request limits every demo's plumbing answers as JSON (config/plumbing/exceptions.py).

A demo's ``tests/test_request_limits.py`` subclasses ``RequestLimitsContract``, names a
write URL (a POST that parses JSON and forms) and a read URL (a GET that reads its query
string), and overrides the ``limits_client`` fixture when they need a logged-in client.
"""

import pytest

FORM = "application/x-www-form-urlencoded"
TOO_MANY_FIELDS = "&".join(f"f{i}=1" for i in range(1001))  # DATA_UPLOAD_MAX_NUMBER_FIELDS is 1,000


@pytest.mark.django_db
class RequestLimitsContract:
    write_url = None
    read_url = None

    @pytest.fixture
    def limits_client(self, client):
        """The client that calls both URLs: anonymous unless the demo's subclass says otherwise."""
        return client

    @pytest.mark.parametrize("debug", [True, False])
    def test_a_body_past_the_upload_limit_is_a_413_in_json(self, limits_client, settings, debug):
        settings.DEBUG = debug
        body = '{"name": "' + "a" * (3 * 1024 * 1024) + '"}'  # past DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)

        response = limits_client.post(self.write_url, body, content_type="application/json")

        assert response.status_code == 413
        assert response.json() == {"detail": "The request body is too large."}

    @pytest.mark.parametrize("debug", [True, False])
    def test_a_form_with_too_many_fields_is_a_400_in_json(self, limits_client, settings, debug):
        settings.DEBUG = debug

        response = limits_client.post(self.write_url, TOO_MANY_FIELDS, content_type=FORM)

        assert response.status_code == 400
        assert response.json() == {"detail": "The request has too many fields."}

    @pytest.mark.parametrize("debug", [True, False])
    def test_a_query_string_with_too_many_fields_is_a_400_in_json(self, limits_client, settings, debug):
        # Under DEBUG this escaped Django's handler altogether: the server's bare 500 page.
        settings.DEBUG = debug
        limits_client.raise_request_exception = False

        response = limits_client.get(f"{self.read_url}?{TOO_MANY_FIELDS}")

        assert response.status_code == 400
        assert response.json() == {"detail": "The request has too many fields."}
