"""CPT psychotherapy codes from service, face-to-face minutes and attendance (docs/official-record.md).

Plain functions with no Django import: the rule is a table, tested directly.
"""

from __future__ import annotations

from dataclasses import dataclass

SERVICES = ("intake", "individual", "family_with_client", "family_without_client", "group", "crisis")
STATUSES = ("scheduled", "kept", "no_show", "cancelled")
# A no-show or a cancellation renders no service: psychotherapy codes describe face-to-face time that did not happen,
# and a missed-appointment fee, where a practice charges one, is not billed under a CPT code. A scheduled session
# keeps the codes its booked times support, so the front desk sees what a kept visit would bill.
NOT_HELD = ("no_show", "cancelled")


@dataclass(frozen=True)
class CptResult:
    codes: list[str]
    flag: str | None  # why the time does not support a billable code, or None


def cpt_codes(service: str, minutes: int, *, status: str) -> CptResult:
    """The codes a session supports. Time spent writing the note does not count; `minutes` is face-to-face.

    `status` is required, not defaulted to kept: a caller that forgets it would code a no-show as a full session.
    """
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}")
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    if minutes < 0:
        raise ValueError("a session cannot end before it starts")
    if status in NOT_HELD:
        return CptResult([], None)  # nothing to code, so nothing to check either: no flag
    return _codes_by_time(service, minutes)


def _codes_by_time(service: str, minutes: int) -> CptResult:
    """The time rule for a session that took place (the table in docs/official-record.md, row by row)."""
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
            individual = _codes_by_time("individual", minutes)
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
