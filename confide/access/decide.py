"""`can`, `require` and `scope`: the policy table applied to one actor and one object, or to a list.

Services call `require` before they act; views and templates ask `can` to decide what to show. A refusal says 404
when the actor may not know the object exists (a chart outside their reach, anyone's psychotherapy note but their
own) and 403 when they can see it but their role or relation does not allow this verb. `require` audits the refusal
once, and audits every allowed read that concerns a client, so a page that shows clinical content cannot forget to.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from django.db import router, transaction
from django.db.models import Model, Q, QuerySet

from confide.access.policy import CHART, PUBLIC, Kind, Rel, rule
from confide.access.relations import CLIENT_RELATIONS, client_relations, relation_q
from confide.lib.errors import ConfideError, Forbidden, NotFound
from confide.people.models import User


class HasRelations(Protocol):
    """An object that knows its own relations to an actor (the vault's notes: author and grantees)."""

    def relations_to(self, actor: User) -> frozenset[Rel]: ...


def _active(actor: Any) -> bool:
    return isinstance(actor, User) and actor.is_authenticated and actor.is_active


def client_id_of(obj: Any) -> int | None:
    """The client an object belongs to: itself for a client, else its `client_id`."""
    from confide.clients.models import Client

    if isinstance(obj, Client):
        return int(obj.pk)
    value = getattr(obj, "client_id", None)
    return None if value is None else int(value)


def _author_id(obj: Any) -> int | None:
    from confide.sessions.models import TherapySession

    if isinstance(obj, TherapySession):
        return int(obj.clinician_id)
    value = getattr(obj, "author_id", None)
    return None if value is None else int(value)


def relations(actor: User, obj: Any) -> frozenset[Rel]:
    """Every relation `actor` has to `obj` (an empty set for none; objects without a client have only SELF)."""
    if obj is None:
        return frozenset()
    if isinstance(obj, User):
        return frozenset({Rel.SELF}) if obj.pk == actor.pk else frozenset()
    if hasattr(obj, "relations_to"):
        found: frozenset[Rel] = obj.relations_to(actor)
        return found
    have: set[Rel] = set()
    client_id = client_id_of(obj)
    if client_id is not None and actor.is_clinician:
        have |= client_relations(actor, client_id) or frozenset()
    author_id = _author_id(obj)
    if author_id is not None and actor.is_clinician:
        if author_id == actor.pk:
            have.add(Rel.AUTHOR)
        elif User.objects.filter(pk=author_id, supervisor_id=actor.pk).exists():
            have.add(Rel.SUPERVISOR_OF_AUTHOR)
    return frozenset(have)


def _decide(actor: Any, verb: str, obj: Any) -> tuple[bool, frozenset[Rel]]:
    """(allowed, the actor's relations to obj). Role-level grants need no query."""
    if verb == PUBLIC:
        return True, frozenset()
    if not _active(actor):
        return False, frozenset()
    granted = rule(verb).relations_for(actor.role)
    if not granted:
        return False, frozenset()
    if Rel.ANYONE in granted:
        return True, frozenset()
    if Rel.SELF in granted and (obj is None or (isinstance(obj, User) and obj.pk == actor.pk)):
        return True, frozenset({Rel.SELF})
    have = relations(actor, obj)
    return bool(have & granted), have


def can(actor: Any, verb: str, obj: Any = None) -> bool:
    """Whether `actor` may `verb` `obj` (or, with no object, whether their role may do it to anything)."""
    if obj is None and verb != PUBLIC and _active(actor):
        return bool(rule(verb).relations_for(actor.role))
    return _decide(actor, verb, obj)[0]


def permits(actor: Any, verb: str, have: frozenset[Rel]) -> bool:
    """Whether relations already looked up (`relations(actor, obj)`) allow `verb`: one page, many decisions, one
    query."""
    if not _active(actor):
        return False
    granted = rule(verb).relations_for(actor.role)
    return Rel.ANYONE in granted or bool(granted & have)


def role_may(actor: Any, verb: str) -> bool:
    """Whether the actor's role has this verb at all: the gate a URL applies before it loads anything."""
    return verb == PUBLIC or (_active(actor) and bool(rule(verb).relations_for(actor.role)))


def require(
    actor: Any,
    verb: str,
    obj: Any = None,
    *,
    ip: str = "",
    detail: dict[str, Any] | None = None,
    audit: bool = True,
) -> None:
    """Raise NotFound/Forbidden unless `actor` may `verb` `obj`; audit the refusal, or the read when allowed.
    `audit=False` is for a check that precedes a read the caller audits itself (a list with its count)."""
    allowed, have = _decide(actor, verb, obj)
    the_rule = rule(verb) if verb != PUBLIC else None
    if not allowed:
        error = _refusal(actor, verb, obj, have)
        _audit_refusal(actor, verb, obj, error, ip)
        raise error
    if audit and the_rule is not None and the_rule.kind == Kind.READ:
        if Rel.BREAK_GLASS in have and not (have & (CHART - {Rel.BREAK_GLASS})):
            detail = {**(detail or {}), "break_glass": True}
        record_read(actor, verb, obj, ip=ip, detail=detail)


def record_read(actor: Any, verb: str, obj: Any, *, ip: str = "", detail: dict[str, Any] | None = None) -> None:
    """Audit an allowed read of `obj` under the verb's registered action code. `require` calls it; a hot path that
    decided with the policy's fast SQL (`confide/clients/caseload.py`) calls it directly, so every read of the
    record is written under its verb's one code, never one a view chose."""
    the_rule = rule(verb)
    client_id = client_id_of(obj)
    if the_rule.audit is None or client_id is None:
        return
    from confide.audit.services import record

    record(
        the_rule.audit,
        actor=actor,
        client_id=client_id,
        object_type=_object_type(obj),
        object_id=str(obj.pk),
        ip=ip,
        detail=detail or {},
    )


# The object_type an audit entry names: the model in snake case, a session as "session".
_OBJECT_TYPES = {"TherapySession": "session"}


def _object_type(obj: Any) -> str:
    name = type(obj).__name__
    return _OBJECT_TYPES.get(name) or re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _refusal(actor: Any, verb: str, obj: Any, have: frozenset[Rel]) -> ConfideError:
    noun = "thing" if obj is None else _object_type(obj).replace("_", " ")
    if not _active(actor) or obj is None or hasattr(obj, "relations_to"):
        # No object: the role may not do this at all. A vault object: nobody may learn it exists.
        if obj is not None or (verb != PUBLIC and rule(verb).hidden):
            return NotFound(f"no such {noun}")
        return Forbidden("your role may not do this")
    if rule(verb).hidden:
        return NotFound(f"no such {noun}")
    if not rule(verb).relations_for(actor.role):
        return Forbidden("your role may not do this")
    if have & CHART or can(actor, "chart.open", _client_of(obj)):
        return Forbidden(f"you may not do this to this {noun}")
    return NotFound(f"no such {noun}")


def _client_of(obj: Any) -> Any:
    from confide.clients.models import Client

    client_id = client_id_of(obj)
    return None if client_id is None else Client(pk=client_id)


def _audit_refusal(actor: Any, verb: str, obj: Any, error: ConfideError, ip: str) -> None:
    from confide.audit.models import AuditEntry
    from confide.audit.services import record_refusal

    if transaction.get_connection(router.db_for_write(AuditEntry)).in_atomic_block:
        # Inside a change's transaction the refusal would roll back with it: the HTTP layer logs it instead, once.
        return

    record_refusal(
        actor=actor if _active(actor) else None,
        verb=verb,
        client_id=client_id_of(obj) if obj is not None and not hasattr(obj, "relations_to") else None,
        status=error.status,
        code=error.code,
        object_type="" if obj is None else _object_type(obj),
        object_id="" if obj is None or getattr(obj, "pk", None) is None else str(obj.pk),
        ip=ip,
    )


def scope[M: Model](actor: Any, model: type[M], verb: str, *, to_client: str = "") -> QuerySet[M]:
    """The rows of `model` the actor may `verb`: where every list starts. `to_client` is the path from the model to
    its Client ("" for Client itself, "client" for sessions and notes)."""
    manager = model._default_manager
    if not _active(actor):
        return manager.none()
    granted = rule(verb).relations_for(actor.role)
    if Rel.ANYONE in granted:
        return manager.all()
    condition = Q()
    for rel in CLIENT_RELATIONS:
        if rel in granted:
            condition |= relation_q(rel, actor)
    if not to_client:
        return manager.filter(condition).distinct() if condition else manager.none()
    rows = Q(**{f"{to_client}__in": _client_model().objects.filter(condition).values("pk")}) if condition else Q()
    if Rel.AUTHOR in granted:
        rows |= Q(**{_author_field(model): actor})
    return manager.filter(rows) if rows else manager.none()


def _client_model() -> Any:
    from confide.clients.models import Client

    return Client


def _author_field(model: type) -> str:
    from confide.sessions.models import TherapySession

    return "clinician" if model is TherapySession else "author"
