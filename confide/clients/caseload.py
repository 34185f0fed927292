"""Whether one clinician may open one chart: `caseload_q` as a single indexed statement.

`Client.objects.visible_to(user)` is the definition and stays the way to list a caseload. This answers the yes/no
question every chart read asks first, and answers it as plain SQL because Django takes longer to build the joined,
DISTINCT query than the database takes to run it (bench/web). `tests/clients/test_caseload_check.py` holds the two
to the same answer over every relation that puts a client in reach.
"""

from __future__ import annotations

from django.db import connections, router
from django.utils import timezone

from confide.clients.models import BreakGlassAccess, CareTeamMember, Client
from confide.people.models import Role, User


def _table(model: type) -> str:
    return str(model._meta.db_table)  # type: ignore[attr-defined]


_CLIENT, _TEAM, _GLASS, _USER = _table(Client), _table(CareTeamMember), _table(BreakGlassAccess), _table(User)

# The five ways into a chart, as in caseload_q: primary clinician, care team, supervisor of either, break-the-glass.
_SQL = f"""
SELECT 1 FROM "{_CLIENT}" c WHERE c."id" = %(client)s AND (
    c."primary_clinician_id" = %(user)s
    OR EXISTS (SELECT 1 FROM "{_TEAM}" t WHERE t."client_id" = c."id" AND t."clinician_id" = %(user)s)
    OR EXISTS (SELECT 1 FROM "{_USER}" p WHERE p."id" = c."primary_clinician_id" AND p."supervisor_id" = %(user)s)
    OR EXISTS (
        SELECT 1 FROM "{_TEAM}" t JOIN "{_USER}" m ON m."id" = t."clinician_id"
        WHERE t."client_id" = c."id" AND m."supervisor_id" = %(user)s
    )
    OR EXISTS (
        SELECT 1 FROM "{_GLASS}" g
        WHERE g."client_id" = c."id" AND g."clinician_id" = %(user)s AND g."expires_at" > %(now)s
    )
)
"""  # noqa: S608 (table names from the models' metadata; every value is a parameter)


def can_open(user: User, client_id: int) -> bool:
    """True when `Client.objects.visible_to(user).filter(pk=client_id).exists()` is."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role in (Role.BILLER, Role.FRONT_DESK, Role.ADMIN):
        return Client.objects.filter(pk=client_id).exists()
    if user.role != Role.CLINICIAN:
        return False
    alias = router.db_for_read(Client)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(
            _SQL,
            {
                "client": int(client_id),
                "user": int(user.pk),
                "now": connection.ops.adapt_datetimefield_value(timezone.now()),
            },
        )
        return cursor.fetchone() is not None
