"""Proposed structured fields: what the draft suggests for the note's risk assessment, interventions, measure
scores and mental status. Each proposal carries its evidence; none is applied until the clinician confirms it.

Risk levels are a starting point for the clinician's judgment, from the flags alone:
- endorsed with intent, or with a plan and means: high;
- endorsed with a plan or means: moderate;
- endorsed otherwise (passive ideation, urges, an act without plan): low;
- denied, with nothing endorsed: none.
History, someone else's risk, figurative speech, hypotheticals and unsure answers propose no level: the
clinician assesses those.
"""

from __future__ import annotations

from typing import Any

from confide.drafting.model import Fact, RiskFlag

RISK_DOMAINS = ("suicidal_ideation", "homicidal_ideation", "self_harm")


def _level(flags: list[RiskFlag]) -> str | None:
    endorsed = [f for f in flags if f.polarity == "endorsed"]
    if endorsed:
        intent = any(f.intent for f in endorsed)
        plan = any(f.plan for f in endorsed)
        means = any(f.means for f in endorsed)
        if intent or (plan and means):
            return "high"
        if plan or means:
            return "moderate"
        return "low"
    if any(f.polarity == "denied" for f in flags):
        return "none"
    return None


def propose(facts: list[Fact], flags: list[RiskFlag]) -> dict[str, Any]:
    """The proposals from the facts that made it into the note (grounded) and the risk flags."""
    risk: dict[str, Any] = {}
    risk_evidence: dict[str, list[str]] = {}
    protective: list[str] = []
    for domain in RISK_DOMAINS:
        mine = [f for f in flags if f.type == domain]
        level = _level(mine)
        if level is None:
            continue
        endorsed = [f for f in mine if f.polarity == "endorsed"]
        risk[domain] = {
            "level": level,
            "plan": any(f.plan for f in endorsed),
            "intent": any(f.intent for f in endorsed),
            "means": any(bool(f.means) for f in endorsed),
        }
        risk_evidence[domain] = list(dict.fromkeys(e for f in mine for e in f.evidence))
        for f in mine:
            protective += [p for p in f.protective_factors if p not in protective]
    if protective:
        risk["protective_factors"] = ", ".join(protective)
    interventions: list[dict[str, Any]] = []
    measures: list[dict[str, Any]] = []
    mental_status: dict[str, dict[str, Any]] = {}
    for fact in facts:
        data = dict(fact.data)
        if "intervention" in data and all(i["name"] != data["intervention"] for i in interventions):
            interventions.append({"name": data["intervention"], "evidence": list(fact.evidence)})
        if "measure" in data:
            measures.append(
                {"instrument": data["measure"], "score": int(data["score"]), "evidence": list(fact.evidence)}
            )
        if "mental_status" in data:
            entry = mental_status.setdefault(data["mental_status"], {"finding": "", "evidence": []})
            entry["finding"] = ", ".join(x for x in (entry["finding"], data["finding"]) if x)
            entry["evidence"] += [e for e in fact.evidence if e not in entry["evidence"]]
    return {
        "risk": risk,
        "risk_evidence": risk_evidence,
        "interventions": interventions,
        "measures": measures,
        "mental_status": mental_status,
    }
