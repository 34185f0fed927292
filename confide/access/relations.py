"""How an actor stands to a client, to a session and to a note: the relations the policy grants verbs through.

A client's relations are answered in one statement (`client_relations`): each relation the policy names is a fragment
of SQL below and the same condition as a `Q` (`relation_q`), and `tests/permissions/test_caseload_check.py` holds
the two to the same answer for every relation. The chart check on every read is that statement, so it stays one
indexed query however many relations the policy adds.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, router
from django.db.models import Q
from django.utils import timezone

from confide.access.policy import Rel
from confide.clients.models import BreakGlassAccess, CareTeamMember, Client
from confide.people.models import User


def _table(model: type) -> str:
    return str(model._meta.db_table)  # type: ignore[attr-defined]


_TEAM, _GLASS, _USER = _table(CareTeamMember), _table(BreakGlassAccess), _table(User)

# Each client relation as a boolean SQL expression over the client row `{c}`. Parameters: the actor's id, and for
# break-the-glass the time now. Table names come from the models' metadata; every value is a parameter.
CLIENT_SQL: dict[Rel, tuple[str, int]] = {
    Rel.CLINICIAN_OF_RECORD: ('{c}."primary_clinician_id" = %s', 1),
    Rel.CARE_TEAM: (
        f'EXISTS (SELECT 1 FROM "{_TEAM}" tm WHERE tm."client_id" = {{c}}."id" AND tm."clinician_id" = %s)',  # noqa: S608
        1,
    ),
    Rel.SUPERVISOR: (
        f'(EXISTS (SELECT 1 FROM "{_USER}" pu WHERE pu."id" = {{c}}."primary_clinician_id" AND pu."supervisor_id" = %s)'  # noqa: S608
        f' OR EXISTS (SELECT 1 FROM "{_TEAM}" st JOIN "{_USER}" su ON su."id" = st."clinician_id"'
        f' WHERE st."client_id" = {{c}}."id" AND su."supervisor_id" = %s))',
        2,
    ),
    Rel.BREAK_GLASS: (
        f'EXISTS (SELECT 1 FROM "{_GLASS}" gl WHERE gl."client_id" = {{c}}."id" AND gl."clinician_id" = %s'  # noqa: S608
        ' AND gl."expires_at" > %s)',
        1,
    ),
}
CLIENT_RELATIONS = tuple(CLIENT_SQL)


def relation_q(rel: Rel, user: User, now: Any = None) -> Q:
    """The same condition as `CLIENT_SQL[rel]`, as a filter on Client."""
    now = now or timezone.now()
    match rel:
        case Rel.CLINICIAN_OF_RECORD:
            return Q(primary_clinician=user)
        case Rel.CARE_TEAM:
            return Q(care_team__clinician=user)
        case Rel.SUPERVISOR:
            return Q(primary_clinician__supervisor=user) | Q(care_team__clinician__supervisor=user)
        case Rel.BREAK_GLASS:
            return Q(break_glass__clinician=user, break_glass__expires_at__gt=now)
    raise ValueError(f"{rel} is not a relation to a client")


def _params(rel: Rel, user: User, now: Any) -> list[Any]:
    params: list[Any] = [int(user.pk)] * CLIENT_SQL[rel][1]
    return [*params, now] if rel == Rel.BREAK_GLASS else params


def reach_sql(rels: frozenset[Rel] | tuple[Rel, ...], user: User, alias: str = "c") -> tuple[str, list[Any]]:
    """`(condition, params)`: true when `user` has any of `rels` to the client row `alias`."""
    wanted = [rel for rel in CLIENT_RELATIONS if rel in rels]
    if not wanted:
        return "(1 = 0)", []
    connection = connections[router.db_for_read(Client)]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    parts, params = [], []
    for rel in wanted:
        parts.append(CLIENT_SQL[rel][0].format(c=alias))
        params += _params(rel, user, now)
    return "(" + " OR ".join(parts) + ")", params


def client_relations(user: User, client_id: int) -> frozenset[Rel] | None:
    """`user`'s relations to the client, in one statement; None when there is no such client."""
    connection = connections[router.db_for_read(Client)]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    columns = ", ".join(f"CASE WHEN {CLIENT_SQL[rel][0].format(c='c')} THEN 1 ELSE 0 END" for rel in CLIENT_RELATIONS)
    params: list[Any] = []
    for rel in CLIENT_RELATIONS:
        params += _params(rel, user, now)
    sql = f'SELECT {columns} FROM "{_table(Client)}" c WHERE c."id" = %s'  # noqa: S608 (fixed SQL; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, int(client_id)])
        row = cursor.fetchone()
    if row is None:
        return None
    return frozenset(rel for rel, flag in zip(CLIENT_RELATIONS, row, strict=True) if flag)
