"""Whether one user may open one chart, as a single indexed statement built from the access policy.

`Client.objects.visible_to(user)` is the definition and stays the way to list a caseload. This answers the yes/no
question every chart read asks first, and answers it as plain SQL because Django takes longer to build the joined,
DISTINCT query than the database takes to run it (bench/web). `tests/permissions/test_caseload_check.py` holds the two
to the same answer over every relation that puts a client in reach.
"""

from __future__ import annotations

from django.db import connections, router
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from confide.access.policy import Rel, rule
from confide.access.relations import reach_sql
from confide.clients.models import Client
from confide.people.models import Role, User

# The chart's reach is the policy's: the relations through which a clinician may open a chart (`chart.open`).
_CHART_RELATIONS = rule("chart.open").relations_for(Role.CLINICIAN)
_CLIENT = str(Client._meta.db_table)


def _reach(user: User) -> str | None:
    """How far `user` reaches, as `visible_to` decides it: "every" chart, their "caseload", or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    granted = rule("client.read").relations_for(user.role)
    if Rel.ANYONE in granted:
        return "every"
    return "caseload" if granted else None


def can_open(user: User, client_id: int) -> bool:
    """True when `Client.objects.visible_to(user).filter(pk=client_id).exists()` is."""
    reach = _reach(user)
    if reach == "every":
        return Client.objects.filter(pk=client_id).exists()
    if reach is None:
        return False
    condition, params = reach_sql(_CHART_RELATIONS, user, "c")
    sql = f'SELECT 1 FROM "{_CLIENT}" c WHERE c."id" = %s AND {condition}'  # noqa: S608 (fixed SQL, values as parameters)
    with connections[router.db_for_read(Client)].cursor() as cursor:
        cursor.execute(sql, [int(client_id), *params])
        return cursor.fetchone() is not None


def openable_client(user: User, client_id: int) -> Client | None:
    """The client (with its primary clinician) when `can_open(user, client_id)`, else None — in one statement, so a
    chart open asks the database once for the row and the permission together."""
    reach = _reach(user)
    if reach is None:
        return None
    query = Client.objects.select_related("primary_clinician").filter(pk=client_id)
    if reach == "every":
        return query.first()
    # Our own fixed SQL (above); the user's id and the time go in as parameters.
    condition, params = reach_sql(_CHART_RELATIONS, user, f'"{_CLIENT}"')
    in_reach = RawSQL(condition, params, output_field=BooleanField())  # noqa: S611
    client = query.annotate(in_reach=in_reach).first()
    return client if client is not None and client.in_reach else None  # type: ignore[attr-defined]
