"""The one place where access is decided: the policy table (`policy`), the relations it grants through
(`relations`), the decisions (`can`, `require`, `scope`) and the URL declarations (`allows`). See
docs/architecture.md, "Access"."""

from confide.access.decide import can, permits, record_read, relations, require, role_may, scope
from confide.access.policy import POLICY, PUBLIC, Kind, Rel, rule
from confide.access.routes import allows, verb_of

__all__ = [
    "POLICY",
    "PUBLIC",
    "Kind",
    "Rel",
    "allows",
    "can",
    "permits",
    "record_read",
    "relations",
    "require",
    "role_may",
    "rule",
    "scope",
    "verb_of",
]
