"""Whether one clinician may open one chart: `caseload_q` as a single indexed statement.

`Client.objects.visible_to(user)` is the definition and stays the way to list a caseload. This answers the yes/no
question every chart read asks first, and answers it as plain SQL because Django takes longer to build the joined,
DISTINCT query than the database takes to run it (bench/web). `tests/permissions/test_caseload_check.py` holds the two
to the same answer over every relation that puts a client in reach.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, router
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from confide.clients.models import BreakGlassAccess, CareTeamMember, Client
from confide.people.models import Role, User


def _table(model: type) -> str:
    return str(model._meta.db_table)  # type: ignore[attr-defined]


_CLIENT, _TEAM, _GLASS, _USER = _table(Client), _table(CareTeamMember), _table(BreakGlassAccess), _table(User)

# The five ways into a chart, as in caseload_q: primary clinician, care team, supervisor of either, break-the-glass.
# `{c}` is the client row being asked about; the parameters are the user's id five times, then the time now.
_REACH = f"""(
    {{c}}."primary_clinician_id" = %s
    OR EXISTS (SELECT 1 FROM "{_TEAM}" tm WHERE tm."client_id" = {{c}}."id" AND tm."clinician_id" = %s)
    OR EXISTS (SELECT 1 FROM "{_USER}" pu WHERE pu."id" = {{c}}."primary_clinician_id" AND pu."supervisor_id" = %s)
    OR EXISTS (
        SELECT 1 FROM "{_TEAM}" st JOIN "{_USER}" su ON su."id" = st."clinician_id"
        WHERE st."client_id" = {{c}}."id" AND su."supervisor_id" = %s
    )
    OR EXISTS (
        SELECT 1 FROM "{_GLASS}" gl
        WHERE gl."client_id" = {{c}}."id" AND gl."clinician_id" = %s AND gl."expires_at" > %s
    )
)"""  # noqa: S608 (table names from the models' metadata; every value is a parameter)
_SQL = f'SELECT 1 FROM "{_CLIENT}" c WHERE c."id" = %s AND {_REACH.format(c="c")}'  # noqa: S608
_SEES_EVERY_CHART = (Role.BILLER, Role.FRONT_DESK, Role.ADMIN)  # what each sees in it is `access_level`


def _params(user: User) -> list[Any]:
    connection = connections[router.db_for_read(Client)]
    return [int(user.pk)] * 5 + [connection.ops.adapt_datetimefield_value(timezone.now())]


def _reach(user: User) -> str | None:
    """How far `user` reaches, as `visible_to` decides it: "every" chart, their "caseload", or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in _SEES_EVERY_CHART:
        return "every"
    return "caseload" if user.role == Role.CLINICIAN else None


def can_open(user: User, client_id: int) -> bool:
    """True when `Client.objects.visible_to(user).filter(pk=client_id).exists()` is."""
    reach = _reach(user)
    if reach == "every":
        return Client.objects.filter(pk=client_id).exists()
    if reach is None:
        return False
    with connections[router.db_for_read(Client)].cursor() as cursor:
        cursor.execute(_SQL, [int(client_id), *_params(user)])
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
    in_reach = RawSQL(_REACH.format(c=f'"{_CLIENT}"'), _params(user), output_field=BooleanField())  # noqa: S611
    client = query.annotate(in_reach=in_reach).first()
    return client if client is not None and client.in_reach else None  # type: ignore[attr-defined]
