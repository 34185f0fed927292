"""`can_open`, `openable_client` and `client_relations` (hand-written SQL, built from the access policy) answer as
the policy's querysets do, for every way into a chart."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from confide.access.policy import Rel
from confide.access.relations import CLIENT_RELATIONS, client_relations, relation_q
from confide.clients.caseload import can_open, openable_client
from confide.clients.models import BreakGlassAccess, CareTeamMember, Client
from confide.people.models import User
from tests.conftest import make_user


def _client(name: str, primary: User) -> Client:
    return Client.objects.create(
        first_name=name, last_name="Test", date_of_birth=date(1990, 1, 1), primary_clinician=primary
    )


def test_can_open_agrees_with_visible_to_for_every_relation(
    clinician: User,
    colleague: User,
    supervisor: User,
    supervisee: User,
    outsider: User,
    biller: User,
    front_desk: User,
    admin: User,
) -> None:
    now = timezone.now()
    own = _client("Own", clinician)
    on_team = _client("Team", colleague)
    CareTeamMember.objects.create(client=on_team, clinician=clinician)
    supervisees_own = _client("SuperviseeOwn", supervisee)
    supervisees_team = _client("SuperviseeTeam", colleague)
    CareTeamMember.objects.create(client=supervisees_team, clinician=supervisee)
    glass_open = _client("GlassOpen", colleague)
    BreakGlassAccess.objects.create(
        client=glass_open, clinician=outsider, reason="crisis call", expires_at=now + timedelta(minutes=30)
    )
    glass_expired = _client("GlassExpired", colleague)
    BreakGlassAccess.objects.create(
        client=glass_expired,
        clinician=outsider,
        reason="crisis call",
        started_at=now - timedelta(hours=2),
        expires_at=now - timedelta(minutes=1),
    )
    elsewhere = _client("Elsewhere", colleague)
    retired = make_user("retired", "clinician", full_name="Re Tired")
    retired_client = _client("Retired", retired)
    retired.is_active = False
    retired.save()

    clients = [own, on_team, supervisees_own, supervisees_team, glass_open, glass_expired, elsewhere, retired_client]
    people = [clinician, colleague, supervisor, supervisee, outsider, biller, front_desk, admin, retired]
    answers = {}
    relation_answers: set[Rel] = set()
    for person in people:
        for client in clients:
            expected = Client.objects.visible_to(person).filter(pk=client.pk).exists()
            assert can_open(person, client.pk) is expected, (person.username, client.first_name)
            opened = openable_client(person, client.pk)
            assert (opened is not None) is expected, (person.username, client.first_name)
            assert opened is None or opened.pk == client.pk
            answers[person.username, client.first_name] = expected
            # The policy's one-statement relations (confide/access/relations.py) agree with their Q definitions.
            by_query = {
                rel for rel in CLIENT_RELATIONS if Client.objects.filter(relation_q(rel, person), pk=client.pk).exists()
            }
            assert client_relations(person, client.pk) == by_query, (person.username, client.first_name)
            relation_answers |= by_query
        assert can_open(person, 10**12) is False  # no such client, for every role
        assert openable_client(person, 10**12) is None

    # The comparison means something only if both answers occur along each relation.
    assert answers["rivera", "Own"] and answers["rivera", "Team"] and not answers["rivera", "Elsewhere"]
    assert answers["okafor", "SuperviseeOwn"] and answers["okafor", "SuperviseeTeam"]
    assert not answers["okafor", "Own"]
    assert answers["outsider", "GlassOpen"] and not answers["outsider", "GlassExpired"]
    assert not answers["retired", "Retired"]
    assert answers["biller", "Elsewhere"] and answers["desk", "Own"]
    assert relation_answers == set(CLIENT_RELATIONS)  # every relation was found somewhere
    assert client_relations(clinician, 10**12) is None
