"""Drafting a progress summary from the official record of a span: plain functions over plain data, no Django.

Every sentence carries its evidence (the sessions, progress notes, measures, plan versions and diagnoses it rests
on), and a section with nothing to rest on says "not documented" rather than guess. The input is only what the
official record holds: signed progress notes, sessions, measures, the treatment plan and diagnoses — never a
psychotherapy note (the summaries app has no way to read one).
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from confide.measures import scoring

NOT_DOCUMENTED = "not documented"


@dataclass(frozen=True)
class Section:
    name: str
    title: str


@dataclass(frozen=True)
class Template:
    code: str
    title: str
    loinc: str
    sections: tuple[Section, ...]


@cache
def template() -> Template:
    """The progress summary's sections, read from template.toml beside this file."""
    data = tomllib.loads((Path(__file__).with_name("template.toml")).read_text(encoding="utf-8"))
    sections = tuple(Section(s["name"], s["title"]) for s in data["sections"])
    return Template(data["code"], data["title"], data["loinc"], sections)


@dataclass(frozen=True)
class SessionRow:
    id: int
    day: date
    status: str  # kept | no_show | cancelled | scheduled
    cpt_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoteRow:
    id: int
    day: date
    risk: dict[str, Any]
    interventions: tuple[str, ...] = ()
    plan_text: str = ""  # the note's plan section, when its format has one
    objective_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class MeasureRow:
    id: int
    instrument: str
    day: date
    score: int
    severity: str
    risk_alert: bool = False


@dataclass(frozen=True)
class ObjectiveRow:
    id: int
    description: str
    status: str
    goal: str


@dataclass(frozen=True)
class PlanRow:
    id: int
    version: int
    created_on: date
    problems: tuple[str, ...]
    objectives: tuple[ObjectiveRow, ...]


@dataclass(frozen=True)
class DiagnosisRow:
    id: int
    code: str
    description: str
    diagnosed_on: date
    resolved_on: date | None = None
    is_primary: bool = False


@dataclass(frozen=True)
class Record:
    start: date
    end: date
    sessions: tuple[SessionRow, ...] = ()
    notes: tuple[NoteRow, ...] = ()  # signed notes of the span only
    measures: tuple[MeasureRow, ...] = ()  # of the span
    plans: tuple[PlanRow, ...] = ()  # the versions in effect during the span, oldest first
    diagnoses: tuple[DiagnosisRow, ...] = ()  # every diagnosis made by the span's end
    baseline: dict[str, MeasureRow] = field(default_factory=dict)  # each instrument's first ever, for change


Sentence = dict[str, Any]


def _say(text: str, *evidence: tuple[str, int]) -> Sentence:
    return {"text": text, "evidence": [{"kind": kind, "id": ident} for kind, ident in evidence]}


def _day(d: date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def reason(r: Record) -> list[Sentence]:
    if not r.plans or not r.plans[-1].problems:
        return [_say(f"Reason for treatment: {NOT_DOCUMENTED} in a treatment plan.")]
    plan = r.plans[-1]
    problems = "; ".join(plan.problems)
    return [_say(f"Treatment addresses: {problems} (treatment plan, version {plan.version}).", ("plan", plan.id))]


def attendance(r: Record) -> list[Sentence]:
    held = [s for s in r.sessions if s.status != "scheduled"]
    if not held:
        return [_say(f"No sessions took place from {_day(r.start)} to {_day(r.end)}.")]
    by = Counter(s.status for s in held)
    ev = [("session", s.id) for s in held]
    out = [
        _say(
            f"Of {_count(len(held), 'session')} from {_day(r.start)} to {_day(r.end)}, {by['kept']} "
            f"{'was' if by['kept'] == 1 else 'were'} attended, {by['no_show']} missed without notice and "
            f"{by['cancelled']} cancelled.",
            *ev,
        )
    ]
    codes = Counter(code for s in held if s.status == "kept" for code in s.cpt_codes)
    if codes:
        listed = ", ".join(f"{code} ({n})" for code, n in sorted(codes.items()))
        kept = [("session", s.id) for s in held if s.status == "kept" and s.cpt_codes]
        out.append(_say(f"Services billed: {listed}.", *kept))
    return out


def progress(r: Record) -> list[Sentence]:
    if not r.plans or not r.plans[-1].objectives:
        return [_say(f"Progress toward treatment-plan objectives: {NOT_DOCUMENTED}.")]
    plan = r.plans[-1]
    out = []
    for o in plan.objectives:
        notes = [n for n in r.notes if o.id in n.objective_ids]
        addressed = (
            f"; addressed in {_count(len(notes), 'signed note')} of the period"
            if notes
            else "; not addressed in a signed note of the period"
        )
        status = o.status.replace("_", " ")
        out.append(
            _say(
                f"Objective “{o.description}” (goal: {o.goal}): {status}{addressed}.",
                ("plan", plan.id),
                *[("progress_note", n.id) for n in notes],
            )
        )
    return out


def measures(r: Record) -> list[Sentence]:
    if not r.measures:
        return [_say(f"Measures: none given in the period ({NOT_DOCUMENTED}).")]
    out = []
    for code in sorted({m.instrument for m in r.measures}):
        given = sorted((m for m in r.measures if m.instrument == code), key=lambda m: (m.day, m.id))
        first = r.baseline.get(code, given[0])
        last = given[-1]
        scores = ", ".join(f"{m.score} ({_day(m.day)})" for m in given)
        out.append(_say(f"{code} in the period: {scores}.", *[("measure", m.id) for m in given]))
        if first.id != last.id:
            change = scoring.change(code, first.score, last.score)
            out.append(_say(f"{change.sentence} ({_day(first.day)}).", ("measure", first.id), ("measure", last.id)))
        out.append(_say(f"Latest {code} severity: {last.severity}.", ("measure", last.id)))
    return out


def risk(r: Record) -> list[Sentence]:
    out = []
    assessed = [n for n in r.notes if isinstance(n.risk.get("suicidal_ideation"), dict)]
    if assessed:
        levels = Counter(n.risk["suicidal_ideation"].get("level", "") for n in assessed)
        order = ("none", "low", "moderate", "high")
        worst = max(assessed, key=lambda n: order.index(n.risk["suicidal_ideation"].get("level", "none")))
        worst_level = worst.risk["suicidal_ideation"].get("level", "none")
        counts = ", ".join(f"{level} ({levels[level]})" for level in order if levels[level])
        highest = f"; highest {worst_level}, on {_day(worst.day)}" if worst_level != "none" else ""
        out.append(
            _say(
                f"Suicide risk was assessed in {len(assessed)} of {_count(len(r.notes), 'signed note')}: "
                f"{counts}{highest}.",
                *[("progress_note", n.id) for n in assessed],
            )
        )
    else:
        out.append(_say(f"Suicide risk assessment in the period: {NOT_DOCUMENTED}."))
    for n in r.notes:
        for domain in ("homicidal_ideation", "self_harm"):
            entry = n.risk.get(domain)
            if isinstance(entry, dict) and entry.get("level") in ("moderate", "high"):
                words = domain.replace("_", " ")
                out.append(_say(f"{words.capitalize()}: {entry['level']} on {_day(n.day)}.", ("progress_note", n.id)))
    for m in r.measures:
        if m.risk_alert:
            out.append(
                _say(f"The {m.instrument} of {_day(m.day)} raised a risk alert (item 9 above 0).", ("measure", m.id))
            )
    return out


def diagnoses(r: Record) -> list[Sentence]:
    current = [d for d in r.diagnoses if d.diagnosed_on <= r.end and (d.resolved_on is None or d.resolved_on > r.end)]
    out = []
    if current:
        listed = "; ".join(
            f"{d.code} {d.description}{' (primary)' if d.is_primary else ''}"
            for d in sorted(current, key=lambda d: (not d.is_primary, d.code))
        )
        out.append(_say(f"Current diagnoses: {listed}.", *[("diagnosis", d.id) for d in current]))
    else:
        out.append(_say(f"Current diagnoses: {NOT_DOCUMENTED}."))
    for d in r.diagnoses:
        if r.start <= d.diagnosed_on <= r.end:
            out.append(_say(f"{d.code} was added on {_day(d.diagnosed_on)}.", ("diagnosis", d.id)))
        if d.resolved_on and r.start <= d.resolved_on <= r.end:
            out.append(_say(f"{d.code} was resolved on {_day(d.resolved_on)}.", ("diagnosis", d.id)))
    return out


def plan(r: Record) -> list[Sentence]:
    out = []
    used = Counter(i for n in r.notes for i in n.interventions)
    if used:
        listed = ", ".join(f"{name} ({n})" for name, n in used.most_common())
        with_any = [("progress_note", n.id) for n in r.notes if n.interventions]
        out.append(_say(f"Interventions used: {listed}.", *with_any))
    else:
        out.append(_say(f"Interventions used: {NOT_DOCUMENTED}."))
    changed = [p for p in r.plans if r.start <= p.created_on <= r.end]
    for p in changed:
        out.append(
            _say(f"The treatment plan was revised on {_day(p.created_on)} (version {p.version}).", ("plan", p.id))
        )
    latest = next((n for n in sorted(r.notes, key=lambda n: (n.day, n.id), reverse=True) if n.plan_text.strip()), None)
    if latest:
        out.append(
            _say(
                f"Plan in the latest note ({_day(latest.day)}): {latest.plan_text.strip()}",
                ("progress_note", latest.id),
            )
        )
    else:
        out.append(_say(f"Recommendations: {NOT_DOCUMENTED}."))
    return out


DRAFTERS = {
    "reason": reason,
    "attendance": attendance,
    "progress": progress,
    "measures": measures,
    "risk": risk,
    "diagnoses": diagnoses,
    "plan": plan,
}


def draft(r: Record) -> dict[str, list[Sentence]]:
    """Every section of the template, drafted from `r`, in the template's order."""
    return {s.name: DRAFTERS[s.name](r) for s in template().sections}


def as_text(drafted: dict[str, list[Sentence]]) -> dict[str, str]:
    """The editable text of each section: its sentences joined."""
    return {name: " ".join(s["text"] for s in sentences) for name, sentences in drafted.items()}
