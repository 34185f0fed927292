"""Standardized outcome measures (PHQ-9, GAD-7, PCL-5): scoring, severity, item alerts and change. No Django import.

Measurement-based care means giving a validated questionnaire at intake and at regular sessions, and letting the
scores, not impressions alone, show whether treatment is working. For that to be trusted the arithmetic has to be
the published one, so the instruments are data, not code: one TOML file per instrument in ``instruments/`` beside
this module holds its items, answer scale, severity bands, change thresholds, codes (LOINC, CPT) and item alerts.
Adding an instrument is adding a file. This module is the one reader of those files.

``score`` turns one administration's answers into a total, a severity band and any alerts (a risk alert, such as
PHQ-9 item 9 above 0, gates signing the next note). ``change`` compares two totals of one instrument: it needs a
baseline and a current score, so a client with a single administration has no change to report.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, Literal

INSTRUMENTS_DIR = Path(__file__).parent / "instruments"

Direction = Literal["improved", "worsened", "unchanged"]


class UnknownInstrument(ValueError):
    """No instrument file has this code."""


class InvalidAnswers(ValueError):
    """The answers cannot be scored: wrong count, not whole numbers, or outside the answer scale."""


class InvalidScore(ValueError):
    """A total passed to ``change`` is not a whole number within the instrument's range."""


class InstrumentFileError(ValueError):
    """An instrument file is malformed (missing key, bands with a gap or overlap, alert on a missing item...)."""


@dataclass(frozen=True)
class Choice:
    """One point of the answer scale, e.g. 2 "More than half the days"."""

    value: int
    label: str


@dataclass(frozen=True)
class Band:
    """A severity band; ``low`` and ``high`` are inclusive totals."""

    low: int
    high: int
    label: str

    def __contains__(self, total: object) -> bool:
        return isinstance(total, int) and self.low <= total <= self.high


@dataclass(frozen=True)
class AlertRule:
    """Fires when the answer to ``item`` (1-based) is greater than ``above``; a ``risk`` alert gates note signing."""

    code: str
    item: int
    above: int
    detail: str
    risk: bool


@dataclass(frozen=True)
class Instrument:
    code: str
    title: str
    source: str
    loinc_panel: str
    loinc_total: str
    cpt: str
    timeframe: str
    items: tuple[str, ...]
    scale: tuple[Choice, ...]
    bands: tuple[Band, ...]
    reliable_change: int
    remission_below: int | None
    response_fraction: float
    alerts: tuple[AlertRule, ...]

    @property
    def values(self) -> frozenset[int]:
        """The answer values the scale allows."""
        return frozenset(c.value for c in self.scale)

    @property
    def min_score(self) -> int:
        return len(self.items) * min(self.values)

    @property
    def max_score(self) -> int:
        return len(self.items) * max(self.values)

    def severity(self, total: int) -> str:
        """The label of the band a total falls in."""
        for band in self.bands:
            if total in band:
                return band.label
        raise InvalidScore(f"{self.code} total must be between {self.min_score} and {self.max_score}, got {total!r}")


@dataclass(frozen=True)
class Alert:
    code: str
    detail: str
    risk: bool


@dataclass(frozen=True)
class Scored:
    instrument: Instrument
    score: int
    severity: str
    alerts: tuple[Alert, ...]

    @property
    def risk(self) -> bool:
        """True when any alert is a risk alert (the next note may not be signed until risk is assessed)."""
        return any(a.risk for a in self.alerts)


@dataclass(frozen=True)
class Change:
    """Two totals of one instrument compared. Higher totals mean more symptoms on every shipped instrument."""

    baseline: int
    current: int
    delta: int  # current - baseline
    reliable: bool  # |delta| reaches the instrument's reliable-change threshold
    direction: Direction  # the sign of delta alone; `reliable` says whether it is more than noise
    response: bool  # a reduction of at least response_fraction of a nonzero baseline
    remission: bool  # current below remission_below (never, for an instrument without one)
    sentence: str  # e.g. "PHQ-9 17 → 11 since baseline, a reliable improvement"


def _require(spec: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in spec:
        raise InstrumentFileError(f"{where}: missing {key!r}")
    value = spec[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise InstrumentFileError(f"{where}: {key!r} has the wrong type ({type(value).__name__})")
    return value


def load_file(path: Path) -> Instrument:
    """Read and check one instrument file."""
    where = path.name
    spec = tomllib.loads(path.read_text(encoding="utf-8"))
    remission_below = spec.get("remission_below")
    if remission_below is not None and (isinstance(remission_below, bool) or not isinstance(remission_below, int)):
        raise InstrumentFileError(f"{where}: 'remission_below' must be a whole number")
    try:
        inst = _build(spec, where, remission_below)
    except (KeyError, TypeError, ValueError) as e:
        if isinstance(e, InstrumentFileError):
            raise
        raise InstrumentFileError(f"{where}: malformed ({type(e).__name__}: {e})") from e
    _check(inst, where)
    return inst


def _build(spec: dict[str, Any], where: str, remission_below: int | None) -> Instrument:
    return Instrument(
        code=_require(spec, "code", str, where),
        title=_require(spec, "title", str, where),
        source=_require(spec, "source", str, where),
        loinc_panel=_require(spec, "loinc_panel", str, where),
        loinc_total=_require(spec, "loinc_total", str, where),
        cpt=_require(spec, "cpt", str, where),
        timeframe=_require(spec, "timeframe", str, where),
        items=tuple(_require(spec, "items", list, where)),
        scale=tuple(Choice(int(c["value"]), str(c["label"])) for c in _require(spec, "scale", list, where)),
        bands=tuple(Band(int(b["low"]), int(b["high"]), str(b["label"])) for b in _require(spec, "bands", list, where)),
        reliable_change=_require(spec, "reliable_change", int, where),
        remission_below=remission_below,
        response_fraction=float(_require(spec, "response_fraction", (int, float), where)),
        alerts=tuple(
            AlertRule(str(a["code"]), int(a["item"]), int(a["above"]), str(a["detail"]), bool(a["risk"]))
            for a in spec.get("alerts", ())
        ),
    )


def _check(inst: Instrument, where: str) -> None:
    if not inst.items or not all(isinstance(i, str) and i.strip() for i in inst.items):
        raise InstrumentFileError(f"{where}: 'items' must be a non-empty list of item texts")
    if not inst.scale or len(inst.values) != len(inst.scale):
        raise InstrumentFileError(f"{where}: 'scale' must list distinct answer values")
    expected = inst.min_score
    for band in sorted(inst.bands, key=lambda b: b.low):
        if band.low != expected or band.high < band.low:
            raise InstrumentFileError(f"{where}: bands must run from {inst.min_score} without gap or overlap")
        expected = band.high + 1
    if expected != inst.max_score + 1:
        raise InstrumentFileError(f"{where}: bands must end at the maximum score {inst.max_score}")
    for rule in inst.alerts:
        if not 1 <= rule.item <= len(inst.items):
            raise InstrumentFileError(f"{where}: alert {rule.code!r} names item {rule.item}, which does not exist")
    if inst.reliable_change <= 0 or not 0 < inst.response_fraction <= 1:
        raise InstrumentFileError(f"{where}: reliable_change must be positive and response_fraction in (0, 1]")


@cache
def instruments() -> dict[str, Instrument]:
    """Every instrument file beside this module, by code (e.g. "PHQ-9"). Read once."""
    found: dict[str, Instrument] = {}
    for path in sorted(INSTRUMENTS_DIR.glob("*.toml")):
        inst = load_file(path)
        if inst.code in found:
            raise InstrumentFileError(f"{path.name}: code {inst.code!r} is already used by another file")
        found[inst.code] = inst
    return found


def instrument(code: str) -> Instrument:
    """The instrument with exactly this code ("PHQ-9", not "phq9")."""
    try:
        return instruments()[code]
    except (KeyError, TypeError):
        raise UnknownInstrument(f"unknown instrument {code!r}; known: {', '.join(instruments())}") from None


def score(code: str, answers: Sequence[int]) -> Scored:
    """Score one administration: the total is the sum of the answers, one per item in order."""
    inst = instrument(code)
    if isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
        raise InvalidAnswers(f"{inst.code} answers must be a list of {len(inst.items)} whole numbers")
    if len(answers) != len(inst.items):
        raise InvalidAnswers(f"{inst.code} takes {len(inst.items)} answers, got {len(answers)}")
    low, high = min(inst.values), max(inst.values)
    for n, answer in enumerate(answers, start=1):
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise InvalidAnswers(f"{inst.code} item {n}: the answer must be a whole number, got {answer!r}")
        if answer not in inst.values:
            raise InvalidAnswers(f"{inst.code} item {n}: the answer must be between {low} and {high}, got {answer}")
    total = sum(answers)
    alerts = tuple(
        Alert(rule.code, rule.detail, rule.risk) for rule in inst.alerts if answers[rule.item - 1] > rule.above
    )
    return Scored(instrument=inst, score=total, severity=inst.severity(total), alerts=alerts)


def _total(inst: Instrument, name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidScore(f"{inst.code} {name} must be a whole number, got {value!r}")
    if not inst.min_score <= value <= inst.max_score:
        raise InvalidScore(f"{inst.code} {name} must be between {inst.min_score} and {inst.max_score}, got {value}")
    return value


def change(code: str, baseline: int, current: int) -> Change:
    """Compare a current total with the baseline total of the same instrument.

    Needs two scores: with a single administration there is nothing to compare, and callers should not call this.
    """
    inst = instrument(code)
    baseline = _total(inst, "baseline", baseline)
    current = _total(inst, "current", current)
    delta = current - baseline
    reliable = abs(delta) >= inst.reliable_change
    direction: Direction = "improved" if delta < 0 else "worsened" if delta > 0 else "unchanged"
    # Exact arithmetic, so a reduction of exactly half counts as a response.
    response = baseline > 0 and baseline - current >= Fraction(str(inst.response_fraction)) * baseline
    remission = inst.remission_below is not None and current < inst.remission_below
    if not reliable:
        verdict = "no reliable change"
    elif direction == "improved":
        verdict = "a reliable improvement"
    else:
        verdict = "a reliable worsening"
    sentence = f"{inst.code} {baseline} → {current} since baseline, {verdict}"
    if response:
        sentence += "; response"
    if remission:
        sentence += "; remission"
    return Change(
        baseline=baseline,
        current=current,
        delta=delta,
        reliable=reliable,
        direction=direction,
        response=response,
        remission=remission,
        sentence=sentence,
    )
