"""Front-desk search finds names with apostrophes and accents, typed with or without them, on either engine."""

from __future__ import annotations

import importlib
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from confide.clients import services as clients
from confide.clients.models import Client
from confide.lib.names import search_key, search_words
from confide.people.models import User
from confide.web import queries


@pytest.fixture
def practice(front_desk: User, clinician: User) -> dict[str, Client]:
    def register(first: str, last: str, **extra: Any) -> Client:
        return clients.register_client(
            actor=front_desk,
            first_name=first,
            last_name=last,
            date_of_birth=date(1984, 6, 1),
            primary_clinician_id=clinician.pk,
            **extra,
        )

    return {
        "obrien": register("Siobhán", "O'Brien"),
        "jose": register("José", "García"),
        "curly": register("Dara", "O\u2019Neill"),
        "plain": register("Jose", "Smith"),
        "other": register("Alex", "Morgan", preferred_name="Lex"),
    }


def found(user: User, query: str) -> set[str]:
    return {c.last_name for c in queries.search_clients(user, query)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("obrien", {"O'Brien"}),
        ("o'brien", {"O'Brien"}),
        ("O\u2019Brien", {"O'Brien"}),
        ("OBRIEN", {"O'Brien"}),
        ("siobhan", {"O'Brien"}),
        ("jose", {"García", "Smith"}),
        ("JOSÉ", {"García", "Smith"}),
        ("garcia", {"García"}),
        ("García", {"García"}),
        ("jose garcia", {"García"}),
        ("garcia jose", {"García"}),
        ("o'neill", {"O\u2019Neill"}),
        ("oneill", {"O\u2019Neill"}),
        ("lex", {"Morgan"}),
        ("nobody", set()),
    ],
)
def test_search_folds_accents_case_and_apostrophes(
    front_desk: User, practice: dict[str, Client], query: str, expected: set[str]
) -> None:
    assert found(front_desk, query) == expected


def test_an_empty_search_or_only_punctuation_lists_everyone(front_desk: User, practice: dict[str, Client]) -> None:
    assert len(found(front_desk, "")) == len(found(front_desk, "'  \u2019")) == 5


def test_the_search_column_follows_an_edit(front_desk: User, practice: dict[str, Client]) -> None:
    client = practice["other"]
    clients.update_client(actor=front_desk, client=client, changes={"last_name": "Muñoz"})
    client.refresh_from_db()
    assert client.search_name == "alex munoz lex"
    assert found(front_desk, "munoz") == {"Muñoz"}
    assert found(front_desk, "morgan") == set()


def test_a_clinician_finds_only_their_reach_and_outside_matches_fold_too(
    front_desk: User, colleague: User, practice: dict[str, Client]
) -> None:
    assert found(colleague, "obrien") == set()  # not on Dr. Chen's caseload
    assert [c.last_name for c in queries.outside_matches(colleague, "obrien")] == ["O'Brien"]


def test_the_page_searches_the_same_way(web_as: Any, front_desk: User, practice: dict[str, Client]) -> None:
    page = web_as(front_desk).get("/clients/", {"q": "o\u2019brien"}).content.decode()
    assert "O&#x27;Brien, Siobhán" in page and "García" not in page


def test_the_migration_fills_the_column_for_existing_rows(front_desk: User, practice: dict[str, Client]) -> None:
    Client.objects.update(search_name="")  # as rows were before the column
    migration = importlib.import_module("confide.clients.migrations.0006_client_search_name")
    migration.fill_search_names(apps, SimpleNamespace(connection=connection))
    assert Client.objects.get(pk=practice["jose"].pk).search_name == "jose garcia"
    assert found(front_desk, "obrien") == {"O'Brien"}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("O'Brien", "obrien"),
        ("O\u2019Brien", "obrien"),
        ("José  García", "jose garcia"),
        ("Ævar Straße", "ævar strasse"),
        ("\uff21\uff22\uff23", "abc"),  # full-width letters, as some keyboards type them
        ("", ""),
    ],
)
def test_search_key(text: str, key: str) -> None:
    assert search_key(text) == key


def test_search_words_drop_empty_words_and_stop_at_four() -> None:
    assert search_words("' a b c d e") == ["a", "b", "c", "d"]
