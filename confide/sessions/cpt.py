"""CPT psychotherapy codes from service and face-to-face minutes (CLINICAL.md, "Codes").

Plain functions with no Django import: the rule is a table, tested directly.
"""

from __future__ import annotations

from dataclasses import dataclass

SERVICES = ("intake", "individual", "family_with_client", "family_without_client", "group", "crisis")


@dataclass(frozen=True)
class CptResult:
    codes: list[str]
    flag: str | None  # why the time does not support a billable code, or None


def cpt_codes(service: str, minutes: int) -> CptResult:
    """The codes a session supports. Time spent writing the note does not count; `minutes` is face-to-face."""
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}")
    if minutes < 0:
        raise ValueError("a session cannot end before it starts")
    if service == "intake":
        return CptResult(["90791"], None)  # diagnostic evaluation: no time rule
    if service == "group":
        return CptResult(["90853"], None)
    if service in ("family_with_client", "family_without_client"):
        code = "90847" if service == "family_with_client" else "90846"
        if minutes < 26:
            return CptResult([], f"family psychotherapy needs 26 minutes or more; this session lasted {minutes}")
        return CptResult([code], None)
    if service == "crisis":
        if minutes < 30:
            # Under 30 minutes of crisis care is billed as ordinary psychotherapy by time.
            individual = cpt_codes("individual", minutes)
            return CptResult(individual.codes, "crisis codes need 30 minutes or more; billed as psychotherapy by time")
        extra = 0 if minutes <= 74 else 1 + (minutes - 75) // 30
        return CptResult(["90839"] + ["90840"] * extra, None)
    # individual psychotherapy
    if minutes < 16:
        return CptResult([], f"psychotherapy needs 16 minutes or more; this session lasted {minutes}")
    if minutes <= 37:
        return CptResult(["90832"], None)
    if minutes <= 52:
        return CptResult(["90834"], None)
    return CptResult(["90837"], None)
