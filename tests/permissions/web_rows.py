"""The row type of the web route matrix (test_web_route_matrix.py), shared by the per-feature row modules."""

from __future__ import annotations

from dataclasses import dataclass

ACTORS = ("rivera", "chen", "biller", "desk", "admin", "anonymous")
SIGN_IN = 302  # a signed-out visitor is sent to sign in


@dataclass(frozen=True)
class Row:
    method: str
    statuses: tuple[int, int, int, int, int, int]  # rivera, chen, biller, desk, admin, anonymous

    def expected(self, actor: str) -> int:
        return dict(zip(ACTORS, self.statuses, strict=True))[actor]


def get(*statuses: int) -> Row:
    return Row("GET", statuses)  # type: ignore[arg-type]


def post(*statuses: int) -> Row:
    return Row("POST", statuses)  # type: ignore[arg-type]
