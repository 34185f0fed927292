"""Sign-in, MFA enrollment and user management over the JSON API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from confide.api.auth import acting_user, client_ip
from confide.api.schemas import ERRORS, Error, IdRef, In, NonEmpty, StrictStr
from confide.lib.errors import Forbidden
from confide.people import services
from confide.people.models import Role, User

router = Router(tags=["auth", "users"])


class UserOut(Schema):
    id: int
    username: str
    role: str
    full_name: str
    credentials: str
    supervisor_id: int | None


class TokenIn(In):
    username: NonEmpty
    password: NonEmpty
    otp: StrictStr | None = None


class TokenOut(Schema):
    token: str
    expires_at: datetime
    user: UserOut


class EnrollmentRequired(Schema):
    detail: str
    code: str
    enrollment_token: str


class EnrollIn(In):
    enrollment_token: NonEmpty


class EnrollOut(Schema):
    otpauth_uri: str


class ConfirmIn(In):
    enrollment_token: NonEmpty
    otp: NonEmpty


def _token_out(issued: services.IssuedToken) -> TokenOut:
    return TokenOut(token=issued.token, expires_at=issued.expires_at, user=UserOut.from_orm(issued.user))


@router.post("/auth/token", auth=None, response={201: TokenOut, 403: EnrollmentRequired} | ERRORS)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[Any]:
    ip = client_ip(request)
    check = services.check_password(username=payload.username, password=payload.password, ip=ip)
    if check.needs_enrollment:
        pending = services.issue_token(user=check.user, password=payload.password, ip=ip, pending_mfa=True)
        return Status(
            403,
            {
                "detail": "set up an authenticator app first: POST /api/v1/auth/mfa/enroll",
                "code": "mfa_enrollment_required",
                "enrollment_token": pending.token,
            },
        )
    services.check_second_factor(check, payload.otp, ip)
    return Status(201, _token_out(services.issue_token(user=check.user, password=payload.password, ip=ip)))


@router.delete("/auth/token", response={204: None} | ERRORS)
def delete_token(request: HttpRequest) -> Status[Any]:
    header = request.headers.get("Authorization", "")
    services.revoke_token(secret=header.partition(" ")[2].strip(), ip=client_ip(request))
    return Status(204, None)


@router.post("/auth/mfa/enroll", auth=None, response={201: EnrollOut} | ERRORS)
def enroll(request: HttpRequest, payload: EnrollIn) -> Status[Any]:
    return Status(201, EnrollOut(otpauth_uri=services.enroll_device(enrollment_token=payload.enrollment_token)))


@router.post("/auth/mfa/confirm", auth=None, response={201: TokenOut} | ERRORS)
def confirm(request: HttpRequest, payload: ConfirmIn) -> Status[Any]:
    issued = services.confirm_device(enrollment_token=payload.enrollment_token, otp=payload.otp)
    return Status(201, _token_out(issued))


class UserIn(In):
    username: NonEmpty
    password: NonEmpty
    full_name: NonEmpty
    role: StrictStr
    credentials: StrictStr = ""
    supervisor_id: IdRef | None = None


@router.post("/users", response={201: UserOut} | ERRORS)
def create_user(request: HttpRequest, payload: UserIn) -> Status[Any]:
    user = services.create_user(actor=acting_user(request), **payload.dict())
    return Status(201, user)


@router.get("/users", response={200: list[UserOut]} | ERRORS)
def list_users(request: HttpRequest) -> list[User]:
    actor = acting_user(request)
    if actor.role != Role.ADMIN:
        raise Forbidden("only an administrator lists users")
    return list(User.objects.filter(is_active=True))


__all__ = ["Error", "router"]
