"""The audit log and the per-client access report over the JSON API (API.md, "Audit")."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import ConfigDict, Field

from confide.api.auth import acting_user, client_ip
from confide.api.schemas import ERRORS, IsoDateTime, ObjectId
from confide.audit import services
from confide.audit.models import AuditEntry

router = Router(tags=["audit"])

ActionPrefix = Annotated[str, Field(max_length=80, pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.?$")]


class AuditFilters(Schema):
    """Query string of GET /audit; unknown parameters are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")

    client_id: ObjectId | None = None
    since: IsoDateTime | None = None
    action: ActionPrefix | None = Field(None, description="dotted prefix, e.g. confide.progress_note")
    limit: int = Field(200, ge=1, le=1000)


class AuditEntryOut(Schema):
    seq: int
    at: datetime
    action: str
    outcome: str
    actor_id: int | None
    actor_username: str
    client_id: int | None
    object_type: str
    object_id: str
    ip: str
    detail: dict[str, Any]


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
def audit_log(request: HttpRequest, filters: Query[AuditFilters]) -> list[AuditEntry]:
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
def access_report(request: HttpRequest, client_id: ObjectId) -> list[dict[str, Any]]:
    return services.request_access_report(actor=acting_user(request), client_id=client_id, ip=client_ip(request))
