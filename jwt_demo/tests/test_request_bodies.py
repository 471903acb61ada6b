"""Bodies Django refuses before any view reads them still get a JSON answer (config/exceptions.py)."""

import pytest
from django.conf import settings

BODY_ENDPOINTS = [
    ("post", "/api/token/"),
    ("post", "/api/token/refresh/"),
    ("post", "/api/token/verify/"),
    ("post", "/api/token/blacklist/"),
    ("post", "/api/auth/signup/"),
    ("post", "/api/auth/password/forgot/"),
    ("post", "/api/auth/password/reset/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), BODY_ENDPOINTS)
def test_a_body_over_the_upload_limit_is_413_json(client, method, path):
    body = b'{"a": "' + b"x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + b'"}'
    response = getattr(client, method)(path, body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large."}


@pytest.mark.django_db
def test_a_form_with_too_many_fields_is_400_json(client):
    body = "&".join(f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.post("/api/token/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response.json() == {"detail": "The request has too many fields."}


@pytest.mark.django_db
def test_a_multipart_body_with_too_many_files_is_415_json_before_any_file_is_read(client):
    # No view takes a file: the plumbing's parsers leave MultiPartParser out, so DRF refuses
    # the body by its Content-Type (JSON 415) and Django never reads a file (no "too many
    # files" 400, no upload spooled to disk). Either way a 4xx JSON answer, never a 500.
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = {f"f{n}": SimpleUploadedFile(f"{n}.txt", b"x") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)}
    response = client.post("/api/auth/signup/", files)
    assert response.status_code == 415
    assert response.json()["detail"].startswith("Unsupported media type")


@pytest.mark.django_db
def test_an_authenticated_endpoint_refuses_a_huge_body_with_json_too(client, user):
    from jwt_auth.tokens import LinkedRefreshToken

    access = LinkedRefreshToken.for_user(user).access_token
    body = b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.patch(
        "/api/auth/email/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {access}"
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "The request body is too large."


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), BODY_ENDPOINTS)
def test_a_body_of_another_content_type_is_415_as_the_schema_documents(client, openapi_schema, method, path):
    response = getattr(client, method)(path, "hello", content_type="text/plain")
    assert response.status_code == 415
    assert "415" in openapi_schema["paths"][path][method]["responses"]
