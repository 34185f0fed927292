"""The audit log and the per-client access report over the JSON API (docs/api.md, "Audit")."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import ConfigDict, Field

from confide.access import allows
from confide.api.auth import acting_user, client_ip
from confide.api.schemas import ERRORS, IsoAwareDateTime, ObjectId
from confide.audit import services

router = Router(tags=["audit"])

ActionPrefix = Annotated[str, Field(max_length=80, pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.?$")]


class AuditFilters(Schema):
    """Query string of GET /audit; unknown parameters are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")

    client_id: ObjectId | None = None
    since: IsoAwareDateTime | None = None
    action: ActionPrefix | None = Field(None, description="dotted prefix, e.g. confide.progress_note")
    limit: int = Field(200, ge=1, le=1000)


class AuditEntryOut(Schema):
    """One entry as its reader may see it. `redacted` says something was withheld: from an admin, an entry's clinical
    detail (diagnosis codes, break-the-glass reasons, …); from anyone but the clinician concerned, everything of a
    psychotherapy note's event but who, when, `kind` and `outcome` (`action`, `client_id`, `object_type` and
    `object_id` null, `detail` empty)."""

    seq: int
    at: datetime
    kind: str | None = Field(description="read, change, refusal, sign_in or export; null for a retired code")
    action: str | None
    outcome: str
    actor_id: int | None
    actor_username: str
    client_id: int | None
    object_type: str | None
    object_id: str | None
    ip: str
    detail: dict[str, Any]
    redacted: bool


class AccessOut(Schema):
    at: datetime
    actor_id: int | None
    actor_username: str
    action: str
    outcome: str
    ip: str


def _refuse_unknown_parameters(request: HttpRequest, schema: type[Schema]) -> None:
    # Ninja reads only the declared names from a query string; a misspelt filter must not silently widen the result.
    unknown = sorted(set(request.GET) - set(schema.model_fields))
    if unknown:
        raise ValidationError([{"loc": ["query", name], "msg": "unknown parameter"} for name in unknown])


@router.get("/audit", response={200: list[AuditEntryOut]} | ERRORS)
@allows("audit.read")
def audit_log(request: HttpRequest, filters: Query[AuditFilters]) -> list[dict[str, Any]]:
    _refuse_unknown_parameters(request, AuditFilters)
    return services.request_search(
        actor=acting_user(request),
        client_id=filters.client_id,
        since=filters.since,
        action=filters.action or "",
        limit=filters.limit,
        ip=client_ip(request),
    )


@router.get("/clients/{client_id}/access-report", response={200: list[AccessOut]} | ERRORS)
@allows("access_report.read")
def access_report(request: HttpRequest, client_id: ObjectId) -> list[dict[str, Any]]:
    return services.request_access_report(actor=acting_user(request), client_id=client_id, ip=client_ip(request))
