"""An API-only client enrols its authenticator over HTTP: token -> 403 with an enrollment token -> enroll -> confirm
with a code computed from the secret -> the token works. Before the fix the 403 body lost its enrollment_token."""

from __future__ import annotations

import base64
import time
from typing import Any
from urllib.parse import parse_qs, urlparse

from django.test import Client as HttpClient
from django_otp.oath import TOTP

from confide.people.models import User
from tests.conftest import PASSWORD


def post(http: HttpClient, path: str, body: dict[str, Any]) -> Any:
    return http.post(path, body, content_type="application/json")


def code_from(otpauth_uri: str, *, offset: int = 0) -> str:
    """What an authenticator app shows, computed from the otpauth:// URI alone (as the app does)."""
    query = parse_qs(urlparse(otpauth_uri).query)
    secret = query["secret"][0]
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key, step=int(query.get("period", ["30"])[0]), digits=int(query.get("digits", ["6"])[0]))
    totp.time = time.time() + offset
    return f"{totp.token():0{totp.digits}d}"


def test_api_only_client_enrols_and_signs_in(clinician: User, settings: Any) -> None:
    settings.MFA_REQUIRED_ROLES = ["clinician"]
    http = HttpClient()
    first = post(http, "/api/v1/auth/token", {"username": "rivera", "password": PASSWORD})
    assert first.status_code == 403
    assert first.json()["code"] == "mfa_enrollment_required"
    enrollment_token = first.json()["enrollment_token"]
    assert enrollment_token

    # The pending token is not a sign-in yet.
    pending = HttpClient(headers={"authorization": f"Bearer {enrollment_token}"})
    assert pending.get("/api/v1/clients").status_code == 401

    enrolled = post(http, "/api/v1/auth/mfa/enroll", {"enrollment_token": enrollment_token})
    assert enrolled.status_code == 201
    uri = enrolled.json()["otpauth_uri"]
    assert uri.startswith("otpauth://totp/")

    wrong = post(http, "/api/v1/auth/mfa/confirm", {"enrollment_token": enrollment_token, "otp": "000000"})
    if code_from(uri) != "000000":
        assert wrong.status_code == 401 and wrong.json()["code"] == "otp_invalid"

    confirmed = post(http, "/api/v1/auth/mfa/confirm", {"enrollment_token": enrollment_token, "otp": code_from(uri)})
    assert confirmed.status_code == 201, confirmed.content
    token = confirmed.json()["token"]
    assert confirmed.json()["user"]["username"] == "rivera"
    signed_in = HttpClient(headers={"authorization": f"Bearer {token}"})
    assert signed_in.get("/api/v1/clients").status_code == 200

    # From now on the password alone is not enough: the device is there, so a code is asked for.
    again = post(http, "/api/v1/auth/token", {"username": "rivera", "password": PASSWORD})
    assert again.status_code == 401 and again.json()["code"] == "otp_required"


def test_the_openapi_document_promises_the_enrollment_token(db: None) -> None:
    schema = HttpClient().get("/api/v1/openapi.json").json()
    forbidden = schema["paths"]["/api/v1/auth/token"]["post"]["responses"]["403"]
    ref = forbidden["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "enrollment_token" in schema["components"]["schemas"][ref]["properties"]
