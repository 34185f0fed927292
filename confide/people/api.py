"""Sign-in, MFA enrollment and user management over the JSON API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from pydantic import Field

from confide.access import PUBLIC, allows
from confide.api.auth import acting_user, client_ip
from confide.api.schemas import ERRORS, Error, IdRef, In, ObjectId, StrictBool, StrictStr, bounded, column
from confide.lib.errors import NotFound, RuleViolation
from confide.people import invitations, services
from confide.people.models import User

router = Router(tags=["auth", "users"])

# Bounded to the columns they fill, so an over-long value is a 400 here rather than a database error.
Bounded150 = Annotated[StrictStr, Field(min_length=1, max_length=150)]
Bounded200 = Annotated[StrictStr, Field(min_length=1, max_length=200)]
Password = Annotated[StrictStr, bounded(1024, required=True)]  # as the web forms: hashing a megabyte costs time


class UserOut(Schema):
    id: int
    username: str
    role: str
    full_name: str
    credentials: str
    supervisor_id: int | None


class TokenIn(In):
    username: Bounded150
    password: Password
    otp: Annotated[StrictStr, bounded(16)] | None = None


class TokenOut(Schema):
    token: str
    expires_at: datetime
    user: UserOut


class EnrollmentRequired(Schema):
    detail: str
    code: str
    enrollment_token: str


class EnrollIn(In):
    enrollment_token: Annotated[StrictStr, bounded(200, required=True)]


class EnrollOut(Schema):
    otpauth_uri: str


class ConfirmIn(In):
    enrollment_token: Annotated[StrictStr, bounded(200, required=True)]
    otp: Annotated[StrictStr, bounded(16, required=True)]


def _token_out(issued: services.IssuedToken) -> TokenOut:
    return TokenOut(token=issued.token, expires_at=issued.expires_at, user=UserOut.from_orm(issued.user))


# The route's own 403 comes last: `ERRORS | {...}` would let the shared error body replace it, and the
# enrollment_token would be dropped from the answer (an API-only client could then never enrol).
@router.post("/auth/token", auth=None, response=ERRORS | {201: TokenOut, 403: EnrollmentRequired})
@allows(PUBLIC)
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
@allows("account.self")
def delete_token(request: HttpRequest) -> Status[Any]:
    header = request.headers.get("Authorization", "")
    services.revoke_token(secret=header.partition(" ")[2].strip(), ip=client_ip(request))
    return Status(204, None)


@router.post("/auth/mfa/enroll", auth=None, response={201: EnrollOut} | ERRORS)
@allows(PUBLIC)
def enroll(request: HttpRequest, payload: EnrollIn) -> Status[Any]:
    return Status(201, EnrollOut(otpauth_uri=services.enroll_device(enrollment_token=payload.enrollment_token)))


@router.post("/auth/mfa/confirm", auth=None, response={201: TokenOut} | ERRORS)
@allows(PUBLIC)
def confirm(request: HttpRequest, payload: ConfirmIn) -> Status[Any]:
    issued = services.confirm_device(enrollment_token=payload.enrollment_token, otp=payload.otp)
    return Status(201, _token_out(issued))


class UserIn(In):
    username: Bounded150
    password: Password | None = None
    full_name: Bounded200
    role: Annotated[StrictStr, column(User, "role")]
    credentials: Annotated[StrictStr, Field(max_length=60)] = ""
    supervisor_id: IdRef | None = None


class UserCreatedOut(UserOut):
    invitation_url: str | None = None  # only when the password was left out; shown this once


@router.post("/users", response={201: UserCreatedOut} | ERRORS)
@allows("user.manage")
def create_user(request: HttpRequest, payload: UserIn) -> Status[Any]:
    actor = acting_user(request)
    fields = payload.dict()
    if fields.pop("password") is not None:
        user = services.create_user(actor=actor, password=payload.password, **fields)
        return Status(201, UserCreatedOut.from_orm(user))
    invited = invitations.invite_user(actor=actor, **fields)
    out = UserCreatedOut.from_orm(invited.user)
    out.invitation_url = request.build_absolute_uri(reverse("web:invitation", kwargs={"token": invited.token}))
    return Status(201, out)


class UserPatch(In):
    full_name: Bounded200 | None = None
    role: Annotated[StrictStr, column(User, "role")] | None = None
    credentials: Annotated[StrictStr, Field(max_length=60)] | None = None
    supervisor_id: IdRef | None = None
    active: StrictBool | None = None


@router.patch("/users/{user_id}", response={200: UserOut} | ERRORS)
@allows("user.manage")
def update_user(request: HttpRequest, user_id: ObjectId, payload: UserPatch) -> User:
    actor = acting_user(request)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound("no such user")
    changes = payload.dict(exclude_unset=True)
    active = changes.pop("active", None)
    if None in (changes.get("full_name", ""), changes.get("role", ""), changes.get("credentials", "")):
        raise RuleViolation("full_name, role and credentials cannot be null", "invalid_value")
    if changes:
        user = services.update_user(actor=actor, user=user, ip=client_ip(request), **changes)
    if active is not None and active != user.is_active:
        user = services.set_active(actor=actor, user=user, active=active, ip=client_ip(request))
    return user


@router.get("/users", response={200: list[UserOut]} | ERRORS)
@allows("user.list")
def list_users(request: HttpRequest) -> list[User]:
    # Administrators only: the @allows gate refused every other role.
    return list(User.objects.filter(is_active=True))


__all__ = ["Error", "router"]
