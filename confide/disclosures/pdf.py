"""The PDFs a release produces: the package itself (`render_package`), the client's 164.528 accounting of
disclosures (`render_accounting`) and a pre-filled 164.508(c) authorization for the client to sign
(`render_authorization_form`).

Like `fhir.py`, the package PDF is drawn only from a `content.Package`, so the PDF and the FHIR Bundle cannot
disagree about what was sent. Its order is fixed: a cover letter (who sends what to whom on what ground, what is
enclosed, what was withheld and why, and the notices the recipient must receive), then the record (diagnoses,
treatment plan, sessions, progress notes with everything that travels with them, measures with a chart per
instrument, periodic summaries), then psychotherapy notes on pages of their own (164.508(a)(2) sets them apart),
then the notices again, so a recipient who reads only the end still sees them.

Every page says whom it was prepared for, whose record it is and "Page N of M": a page that becomes separated from
the rest still identifies itself. M is only known at the end, so `_NumberedCanvas` holds the pages back until
`save()` (ReportLab's usual recipe). Documents are built with `invariant=1`, so one input gives one byte string
(the practice records the PDF's hash).

Everything that came from a person (note text, names, purposes) is escaped before it reaches ReportLab's
paragraph markup: "<b>" in a note prints as "<b>", and control characters are dropped rather than crash the
renderer. A Unicode TrueType font (DejaVu Sans, else ReportLab's bundled Vera) is registered once so quotes,
accents and dashes print as written; without one the standard Helvetica is used and characters it cannot show
become "?".

Styles are built once and reused, and a note is a handful of paragraphs rather than one per line: a 300-note
package is a few hundred pages and must render in well under a few seconds.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache, partial
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from confide.disclosures.content import (
    NOTICE_TEXT,
    Accounting,
    AmendmentPart,
    AuthorizationPart,
    ClientPart,
    MeasurePart,
    NotePart,
    Package,
    PlanPart,
    PrivateNotePart,
    SessionPart,
    Signature,
    SummaryPart,
)

__all__ = ["render_accounting", "render_authorization_form", "render_package"]

PAGE = LETTER
MARGIN = 0.75 * inch
FRAME_WIDTH = PAGE[0] - 2 * MARGIN

# What an authorization or a release names (rules.Category values), in words.
CATEGORY_WORDS = {
    "progress_notes": "Progress notes",
    "psychotherapy_notes": "Psychotherapy notes (45 CFR 164.501)",
    "measures": "Measures (PHQ-9, GAD-7 scores)",
    "summaries": "Periodic summaries",
    "diagnoses": "Diagnoses",
    "treatment_plan": "Treatment plan",
    "sessions": "Sessions (dates, services, billing codes)",
}
# The highest possible total score of each instrument (by LOINC): the charts' vertical scale.
SCALE_TOP = {"44261-6": 27, "70274-6": 21, "101698-9": 80}
LINE = colors.HexColor("#1f4e79")
RULE = colors.HexColor("#999999")
SHADE = colors.HexColor("#e8eef4")

# Characters no PDF text can carry sensibly: C0/C1 controls (but tab and newline), lone surrogates, non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


# --- fonts and styles ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fonts:
    regular: str
    bold: str
    unicode: bool  # False: the standard Helvetica, which prints cp1252 only
    # The code points the TrueType font has glyphs for, in the Basic Multilingual Plane only: ReportLab writes
    # characters beyond it into the text layer (ToUnicode) in a form readers reject.
    covered: frozenset[int] = frozenset()


@cache
def _fonts() -> _Fonts:
    """Register a Unicode TrueType family once per process: DejaVu Sans, else ReportLab's Vera, else Helvetica."""
    bundled = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    candidates = (
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
        (os.path.join(bundled, "Vera.ttf"), os.path.join(bundled, "VeraBd.ttf")),
    )
    for regular, bold in candidates:
        if not (os.path.isfile(regular) and os.path.isfile(bold)):
            continue
        try:
            font = TTFont("ConfideSans", regular)
            pdfmetrics.registerFont(font)
            pdfmetrics.registerFont(TTFont("ConfideSans-Bold", bold))
        except Exception:  # noqa: S112 - an unreadable font file: try the next one
            continue
        pdfmetrics.registerFontFamily(
            "ConfideSans",
            normal="ConfideSans",
            bold="ConfideSans-Bold",
            italic="ConfideSans",
            boldItalic="ConfideSans-Bold",
        )
        return _Fonts(
            "ConfideSans", "ConfideSans-Bold", True, frozenset(c for c in font.face.charToGlyph if c <= 0xFFFF)
        )
    return _Fonts("Helvetica", "Helvetica-Bold", False)


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    head_cell: ParagraphStyle
    right: ParagraphStyle
    indent: tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]
    notice: ParagraphStyle


@cache
def _styles() -> _Styles:
    f = _fonts()
    body = ParagraphStyle("confide-body", fontName=f.regular, fontSize=9.5, leading=12.5, spaceAfter=4)
    return _Styles(
        title=ParagraphStyle("confide-title", parent=body, fontName=f.bold, fontSize=15, leading=19, spaceAfter=8),
        h1=ParagraphStyle(
            "confide-h1",
            parent=body,
            fontName=f.bold,
            fontSize=12.5,
            leading=16,
            spaceBefore=10,
            spaceAfter=6,
            keepWithNext=1,
        ),
        h2=ParagraphStyle(
            "confide-h2", parent=body, fontName=f.bold, fontSize=10.5, leading=14, spaceBefore=8, keepWithNext=1
        ),
        h3=ParagraphStyle("confide-h3", parent=body, fontName=f.bold, spaceAfter=0, keepWithNext=1),
        body=body,
        small=ParagraphStyle(
            "confide-small", parent=body, fontSize=8, leading=10.5, textColor=colors.HexColor("#444444")
        ),
        cell=ParagraphStyle("confide-cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0),
        head_cell=ParagraphStyle("confide-head-cell", parent=body, fontName=f.bold, fontSize=8.5, leading=10.5),
        right=ParagraphStyle("confide-right", parent=body, alignment=TA_RIGHT),
        indent=(
            ParagraphStyle("confide-indent-1", parent=body, leftIndent=0),
            ParagraphStyle("confide-indent-2", parent=body, leftIndent=16),
            ParagraphStyle("confide-indent-3", parent=body, leftIndent=32),
        ),
        notice=ParagraphStyle(
            "confide-notice",
            parent=body,
            fontSize=9,
            leading=12,
            borderColor=RULE,
            borderWidth=0.5,
            borderPadding=5,
            backColor=colors.HexColor("#f6f6f6"),
            spaceBefore=6,
            spaceAfter=10,
        ),
    )


# --- text ----------------------------------------------------------------------------------------------------------


def _plain(text: object) -> str:
    """Text as the font can print it: no control characters, and "?" for a character the font has no glyph for
    (Helvetica: anything outside cp1252)."""
    s = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    s = _CONTROL.sub("", s)
    if s.isascii():
        return s
    fonts = _fonts()
    if not fonts.unicode:
        return s.encode("cp1252", "replace").decode("cp1252")
    return "".join(c if ord(c) < 128 or ord(c) in fonts.covered else "?" for c in s)


def _x(text: object) -> str:
    """Text for Paragraph markup: escaped, newlines kept as line breaks."""
    return escape(_plain(text)).replace("\n", "<br/>")


def _labeled(label: str, value: object) -> str:
    return f"<b>{_x(label)}:</b> {_x(value)}"


def _day(d: date | None) -> str:
    return d.isoformat() if d else "-"


def _when(at: datetime) -> str:
    """2026-01-05 17:53 UTC (or the offset when it is not UTC)."""
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    offset = at.utcoffset()
    zone = "UTC" if not offset else at.strftime("UTC%z")
    return f"{at:%Y-%m-%d %H:%M} {zone}"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _words(code: str) -> str:
    return CATEGORY_WORDS.get(code) or code.replace("_", " ").strip().capitalize()


def _signature_line(s: Signature) -> str:
    verb = "Co-signed" if s.kind == "cosigned" else "Signed"
    return f"{verb} by {s.by.signature_name} on {_when(s.at)}"


# --- page furniture ------------------------------------------------------------------------------------------------


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds every page back until `save()`, then draws the header and "Page N of M" on each."""

    def __init__(self, *args: Any, header: str, footer: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._confide_header = header
        self._confide_footer = footer
        self._confide_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._confide_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._confide_pages)
        for state in self._confide_pages:
            self.__dict__.update(state)
            self._furniture(total)
            super().showPage()
        super().save()

    def _furniture(self, total: int) -> None:
        f = _fonts()
        width, height = self._pagesize
        self.saveState()
        self.setFillColor(colors.HexColor("#555555"))
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.setFont(f.regular, 7.5)
        self.drawString(MARGIN, height - 0.5 * inch, _fit(self._confide_header, f.regular, 7.5, width - 2 * MARGIN))
        self.line(MARGIN, height - 0.55 * inch, width - MARGIN, height - 0.55 * inch)
        self.line(MARGIN, 0.62 * inch, width - MARGIN, 0.62 * inch)
        page = f"Page {self._pageNumber} of {total}"
        room = width - 2 * MARGIN - pdfmetrics.stringWidth(page, f.regular, 7.5) - 12
        self.drawString(MARGIN, 0.48 * inch, _fit(self._confide_footer, f.regular, 7.5, room))
        self.drawRightString(width - MARGIN, 0.48 * inch, page)
        self.restoreState()


def _fit(text: str, font: str, size: float, room: float) -> str:
    """`text` shortened with an ellipsis until it fits in `room` points."""
    text = _plain(text).replace("\n", " ")
    if pdfmetrics.stringWidth(text, font, size) <= room:
        return text
    dots = "..." if not _fonts().unicode else "\u2026"
    while text and pdfmetrics.stringWidth(text + dots, font, size) > room:
        text = text[:-1]
    return text + dots


def _build(story: list[Flowable], *, title: str, author: str, header: str, footer: str) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=0.8 * inch,
        bottomMargin=0.8 * inch,
        title=_plain(title),
        author=_plain(author),
        creator="Confide",
        producer="Confide",
        invariant=1,
    )
    maker: Callable[..., Canvas] = partial(_NumberedCanvas, header=header, footer=footer)
    doc.build(story, canvasmaker=maker)
    return buf.getvalue()


class _Cell(str):
    """A short table cell printed as it is, without a paragraph (much cheaper, but it does not wrap)."""


def _cell(value: object, style: ParagraphStyle) -> object:
    if isinstance(value, _Cell):
        return _plain(value)
    if isinstance(value, str):
        return Paragraph(_x(value), style)
    return value


def _table(rows: Sequence[Sequence[object]], widths: Sequence[float]) -> Table:
    """A table with a bold, repeated header row; string cells become wrapped, escaped paragraphs (`_Cell`s stay
    plain strings)."""
    st = _styles()
    data = [[_cell(c, st.head_cell if r == 0 else st.cell) for c in row] for r, row in enumerate(rows)]
    table = Table(data, colWidths=list(widths), repeatRows=1, splitInRow=24, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), _fonts().regular),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("LEADING", (0, 0), (-1, -1), 10.5),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _notices(keys: Iterable[str]) -> list[Flowable]:
    st = _styles()
    return [Paragraph(_x(NOTICE_TEXT.get(key, key)), st.notice) for key in keys]


# --- the release package -------------------------------------------------------------------------------------------


def _addressee(package: Package) -> tuple[str, str]:
    if package.own_copy:
        return package.client.name, package.client.address or package.recipient_address
    return package.recipient_name, package.recipient_address


def _authorization_lines(a: AuthorizationPart) -> list[str]:
    kind = (
        "Authorization for psychotherapy notes (45 CFR 164.508(a)(2))"
        if a.kind == "psychotherapy_notes"
        else "Authorization (45 CFR 164.508)"
    )
    by = "the client" if a.signed_by == "client" else "the client's personal representative"
    expiry = a.expires_on.isoformat() if a.expires_on else (a.expiry_event or "-")
    lines = [
        _labeled("Authorization", f"{kind}, signed on {a.signed_on.isoformat()} by {by}"),
        _labeled("Expires", expiry),
        _labeled("Information it names", ", ".join(_words(i) for i in a.information) or "-"),
    ]
    if a.document_sha256:
        lines.append(_labeled("Signed form (SHA-256)", a.document_sha256))
    return lines


def _enclosed(package: Package) -> list[str]:
    items = [
        _count(len(package.progress_notes), "progress note", "progress notes"),
        _count(len(package.sessions), "session", "sessions"),
        _count(len(package.diagnoses), "diagnosis", "diagnoses"),
        f"the treatment plan (version {package.plan.version})" if package.plan else "",
        _count(len(package.measures), "measure score", "measure scores"),
        _count(len(package.summaries), "periodic summary", "periodic summaries"),
        _count(len(package.psychotherapy_notes), "psychotherapy note", "psychotherapy notes"),
    ]
    return [i for i in items if i and not i.startswith("0 ")]


def _cover(package: Package) -> list[Flowable]:
    st = _styles()
    name, address = _addressee(package)
    client = package.client
    out: list[Flowable] = [
        Paragraph(_x(package.practice_name), st.title),
        Paragraph(f"Prepared {_x(package.prepared_at.date().isoformat())}", st.body),
        Spacer(1, 6),
        Paragraph(_x(f"{name}\n{address}" if address else name), st.body),
        Spacer(1, 6),
        Paragraph(
            "<b>Your copy of your record (45 CFR 164.524)</b>"
            if package.own_copy
            else f"<b>Release of information, disclosure no. {package.disclosure_id}</b>",
            st.h1,
        ),
        Paragraph(_labeled("Client", f"{client.name}, born {client.date_of_birth.isoformat()}"), st.body),
        Paragraph(_labeled("Basis", package.basis_label), st.body),
    ]
    if package.purpose:
        out.append(Paragraph(_labeled("Purpose", package.purpose), st.body))
    if package.span_from or package.span_to:
        out.append(
            Paragraph(_labeled("Records from", f"{_day(package.span_from)} to {_day(package.span_to)}"), st.body)
        )
    if package.authorization:
        out += [Paragraph(line, st.body) for line in _authorization_lines(package.authorization)]
    if package.own_copy:
        out.append(
            Paragraph(
                "As you asked, enclosed is a copy of the information in your record that you have a right to see "
                "under 45 CFR 164.524.",
                st.body,
            )
        )
    out.append(Paragraph("Enclosed", st.h2))
    enclosed = _enclosed(package)
    out += [Paragraph(f"\u2022 {_x(i)}" if _fonts().unicode else f"- {_x(i)}", st.indent[1]) for i in enclosed]
    if not enclosed:
        out.append(Paragraph("No records are enclosed.", st.body))
    out.append(Paragraph("Withheld", st.h2))
    if package.withheld:
        rows: list[list[object]] = [["Item", "Reason", "Authority"]]
        for w in package.withheld:
            item = _words(w.kind) + (f" {w.id}" if w.id else "")
            rows.append([item, w.reason, f"45 CFR {w.cite}" if w.cite and w.cite[0].isdigit() else w.cite])
        out.append(_table(rows, (FRAME_WIDTH * 0.25, FRAME_WIDTH * 0.55, FRAME_WIDTH * 0.2)))
    else:
        out.append(Paragraph("Nothing that the request covered was withheld.", st.body))
    if package.notices:
        out.append(Paragraph("Notices", st.h2))
        out += _notices(package.notices)
    out.append(Spacer(1, 8))
    out.append(Paragraph(f"Prepared by {_x(package.prepared_by.signature_name)}", st.body))
    return out


def _diagnoses(package: Package) -> list[Flowable]:
    rows: list[list[object]] = [["Code (ICD-10-CM)", "Description", "Diagnosed", "Resolved", ""]]
    for d in package.diagnoses:
        rows.append(
            [d.code, d.description, d.diagnosed_on.isoformat(), _day(d.resolved_on), "Primary" if d.is_primary else ""]
        )
    w = FRAME_WIDTH
    return [Paragraph("Diagnoses", _styles().h1), _table(rows, (w * 0.16, w * 0.46, w * 0.13, w * 0.13, w * 0.12))]


def _plan(plan: PlanPart) -> list[Flowable]:
    st = _styles()
    signed = f"signed by the client on {plan.client_signed_on.isoformat()}" if plan.client_signed_on else "unsigned"
    out: list[Flowable] = [
        Paragraph("Treatment plan", st.h1),
        Paragraph(
            _x(
                f"Version {plan.version}, written {_when(plan.created_at)}, review due {plan.review_on.isoformat()}, "
                f"{signed}."
            ),
            st.body,
        ),
    ]
    for p, problem in enumerate(plan.problems, 1):
        out.append(Paragraph(_labeled(f"Problem {p}", problem.description), st.indent[0]))
        for g, goal in enumerate(problem.goals, 1):
            measure = f" (measure: {goal.measure})" if goal.measure else ""
            out.append(Paragraph(_labeled(f"Goal {p}.{g}", goal.description + measure), st.indent[1]))
            for o, obj in enumerate(goal.objectives, 1):
                text = f"{obj.description} (target {obj.target_on.isoformat()}; {obj.status})"
                out.append(Paragraph(_labeled(f"Objective {p}.{g}.{o}", text), st.indent[2]))
    if not plan.problems:
        out.append(Paragraph("The plan names no problems.", st.body))
    return out


def _sessions(sessions: Sequence[SessionPart]) -> list[Flowable]:
    rows: list[list[object]] = [["Date", "Minutes", "Service", "Setting", "Status", "CPT", "Clinician"]]
    for s in sessions:
        rows.append(
            [
                _Cell(s.day.isoformat()),
                _Cell(str(s.minutes)),
                s.service,
                _Cell(s.setting),
                _Cell(s.status),
                _Cell(", ".join(s.cpt_codes) or "-"),
                s.clinician.signature_name,
            ]
        )
    w = FRAME_WIDTH
    widths = (w * 0.13, w * 0.09, w * 0.22, w * 0.11, w * 0.1, w * 0.1, w * 0.25)
    return [Paragraph("Sessions", _styles().h1), _table(rows, widths)]


def _amendment(n: int, a: AmendmentPart) -> Flowable:
    lines = [
        f"<b>Amendment request {n}</b> (45 CFR 164.526), received {_x(a.received_on.isoformat())}",
        _labeled("Requested change", a.requested_change),
    ]
    decided = f" on {a.decided_on.isoformat()}" if a.decided_on else ""
    if a.status == "accepted":
        lines.append(_labeled("Decision", f"accepted{decided}"))
        if a.amendment_text:
            lines.append(_labeled("Amendment", a.amendment_text))
    elif a.status == "denied":
        lines.append(_labeled("Decision", f"denied{decided}"))
        if a.denial_basis:
            lines.append(_labeled("Ground for denial", a.denial_basis))
        if a.denial_explanation:
            lines.append(_labeled("Explanation", a.denial_explanation))
    else:
        lines.append(_labeled("Decision", f"{a.status or 'pending'}{decided}"))
    if a.disagreement:
        lines.append(_labeled("The client's statement of disagreement", a.disagreement))
    if a.rebuttal:
        lines.append(_labeled("The practice's rebuttal", a.rebuttal))
    return Paragraph("<br/>".join(lines), _styles().notice)


def _note(note: NotePart) -> list[Flowable]:
    st = _styles()
    meta = [_labeled("Author", note.author.signature_name)]
    if note.late_entry:
        meta.append("<b>Late entry</b>: documented after the expected time.")
    if note.drafted_with:
        meta.append(_x(f"{note.drafted_with}; reviewed and signed by the clinician."))
    out: list[Flowable] = [
        Paragraph(_x(f"Progress note, session of {note.session_date.isoformat()} ({note.format_title})"), st.h2),
        Paragraph("<br/>".join(meta), st.small),
    ]
    for title, text in note.sections:
        out += [Paragraph(_x(title), st.h3), Paragraph(_x(text), st.body)]
    clinical = ["<b>Risk:</b> " + ("; ".join(f"{_x(d)}: {_x(f)}" for d, f in note.risk) or "not assessed")]
    if note.protective_factors:
        clinical.append(_labeled("Protective factors", note.protective_factors))
    clinical.append(
        "<b>Mental status:</b> " + ("; ".join(f"{_x(d)}: {_x(f)}" for d, f in note.mental_status) or "not assessed")
    )
    clinical.append(_labeled("Interventions", "; ".join(note.interventions) or "none recorded"))
    out.append(Paragraph("<br/>".join(clinical), st.body))
    signed = [_x(_signature_line(s)) for s in note.signatures] or ["Not signed."]
    if note.content_hash:
        signed.append(_x(f"Content hash (SHA-256): {note.content_hash}"))
    out.append(Paragraph("<br/>".join(signed), st.small))
    for n, add in enumerate(note.addenda, 1):
        text = f"<b>Addendum {n}</b> by {_x(add.author.signature_name)}, {_x(_when(add.at))}<br/>{_x(add.text)}"
        if add.content_hash:
            text += f"<br/>{_x(f'Content hash (SHA-256): {add.content_hash}')}"
        out.append(Paragraph(text, st.body))
    out += [_amendment(n, a) for n, a in enumerate(note.amendments, 1)]
    out.append(Spacer(1, 6))
    return out


def _ticks(days: list[int], most: int = 6) -> list[int]:
    if len(days) <= most:
        return days
    step = (len(days) - 1) / (most - 1)
    return sorted({days[round(i * step)] for i in range(most)})


def _chart(points: Sequence[MeasurePart]) -> Drawing:
    """Score over time for one instrument."""
    f = _fonts()
    days = [m.day.toordinal() for m in points]
    lo, hi = min(days), max(days)
    if lo == hi:
        lo, hi = lo - 7, hi + 7
    top = SCALE_TOP.get(points[0].loinc) or max(1, *(m.score for m in points))
    drawing = Drawing(FRAME_WIDTH, 150)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 36, 42, FRAME_WIDTH - 60, 96
    plot.data = [[(m.day.toordinal(), m.score) for m in points]]
    plot.lines[0].strokeColor = LINE
    plot.lines[0].strokeWidth = 1.5
    plot.lines[0].symbol = makeMarker("FilledCircle", size=4, fillColor=LINE, strokeColor=LINE)
    x_axis, y_axis = plot.xValueAxis, plot.yValueAxis
    x_axis.valueMin, x_axis.valueMax = lo, hi
    x_axis.valueSteps = _ticks(sorted(set(days)))
    x_axis.labelTextFormat = lambda v: date.fromordinal(int(v)).isoformat()
    x_axis.labels.fontName, x_axis.labels.fontSize = f.regular, 7
    x_axis.labels.angle, x_axis.labels.boxAnchor, x_axis.labels.dy = 30, "ne", -2
    y_axis.valueMin, y_axis.valueMax = 0, top
    y_axis.valueStep = 5 if top > 10 else 1
    y_axis.labels.fontName, y_axis.labels.fontSize = f.regular, 7
    y_axis.gridStrokeColor, y_axis.visibleGrid = colors.HexColor("#dddddd"), 1
    drawing.add(plot)
    return drawing


def _measures(measures: Sequence[MeasurePart]) -> list[Flowable]:
    st = _styles()
    ordered = sorted(measures, key=lambda m: (m.day, m.instrument, m.id))
    rows: list[list[object]] = [["Date", "Instrument", "Score", "Severity"]]
    rows += [[m.day.isoformat(), m.instrument, str(m.score), m.severity] for m in ordered]
    w = FRAME_WIDTH
    out: list[Flowable] = [Paragraph("Measures", st.h1), _table(rows, (w * 0.2, w * 0.25, w * 0.15, w * 0.4))]
    instruments = sorted({m.instrument for m in ordered})
    for instrument in instruments:
        points = [m for m in ordered if m.instrument == instrument]
        heading = Paragraph(_x(f"{instrument} score over time"), st.h2)
        out.append(KeepTogether([heading, _chart(points)]))
    return out


def _summary(s: SummaryPart) -> list[Flowable]:
    st = _styles()
    out: list[Flowable] = [
        Paragraph(_x(f"Periodic summary, {s.span_from.isoformat()} to {s.span_to.isoformat()}"), st.h2),
        Paragraph(_labeled("Author", s.author.signature_name), st.small),
    ]
    out += [Paragraph(f"<b>{_x(title)}</b><br/>{_x(text)}", st.body) for title, text in s.sections]
    signed = [_x(_signature_line(sig)) for sig in s.signatures] or ["Not signed."]
    if s.content_hash:
        signed.append(_x(f"Content hash (SHA-256): {s.content_hash}"))
    out.append(Paragraph("<br/>".join(signed), st.small))
    return out


def _psychotherapy_notes(package: Package) -> list[Flowable]:
    st = _styles()
    auth = package.authorization
    ground = (
        "released under the client's separate authorization"
        if auth and auth.kind == "psychotherapy_notes"
        else f"released under {package.basis_label}"
    )
    out: list[Flowable] = [
        PageBreak(),
        Paragraph(_x(f"Psychotherapy notes (45 CFR 164.501) \u2014 {ground}"), st.h1),
        Paragraph(
            "These notes are kept apart from the rest of the record and are disclosed only as 45 CFR 164.508(a)(2) "
            "allows.",
            st.small,
        ),
    ]
    for p in package.psychotherapy_notes:
        out += _private_note(p)
    return out


def _private_note(p: PrivateNotePart) -> list[Flowable]:
    st = _styles()
    return [
        Paragraph(_x(f"Psychotherapy note, session of {p.session_date.isoformat()}"), st.h2),
        Paragraph(_x(f"Written by {p.author.signature_name} on {_when(p.written_at)}"), st.small),
        Paragraph(_x(p.text), st.body),
    ]


def render_package(package: Package) -> bytes:
    """The release package as a PDF: cover letter, the record, psychotherapy notes last, the notices again."""
    st = _styles()
    story = _cover(package)
    record: list[Flowable] = []
    if package.diagnoses:
        record += _diagnoses(package)
    if package.plan:
        record += _plan(package.plan)
    if package.sessions:
        record += _sessions(package.sessions)
    if package.progress_notes:
        record.append(CondPageBreak(2 * inch))
        record.append(Paragraph("Progress notes", st.h1))
        for note in package.progress_notes:
            record += _note(note)
    if package.measures:
        record += _measures(package.measures)
    if package.summaries:
        record.append(Paragraph("Periodic summaries", st.h1))
        for summary in package.summaries:
            record += _summary(summary)
    if record:
        story += [PageBreak(), *record]
    if package.psychotherapy_notes:
        story += _psychotherapy_notes(package)
    if package.notices:
        story.append(PageBreak() if package.psychotherapy_notes else CondPageBreak(2 * inch))
        story.append(Paragraph("Notices", st.h1))
        story += _notices(package.notices)
    name, _ = _addressee(package)
    client = package.client
    return _build(
        story,
        title=f"Release of information {package.disclosure_id}",
        author=package.practice_name,
        header=f"{package.practice_name} \u2014 confidential health information",
        footer=f"Prepared for {name} \u2014 Client: {client.name}, born {client.date_of_birth.isoformat()}",
    )


# --- the accounting of disclosures ---------------------------------------------------------------------------------


def render_accounting(accounting: Accounting) -> bytes:
    """The client's accounting of disclosures (45 CFR 164.528) as a PDF."""
    st = _styles()
    client = accounting.client
    generated = accounting.generated_at.date().isoformat()
    story: list[Flowable] = [
        Paragraph(_x(accounting.practice_name), st.title),
        Paragraph("Accounting of disclosures (45 CFR 164.528)", st.h1),
        Paragraph(_labeled("Client", f"{client.name}, born {client.date_of_birth.isoformat()}"), st.body),
        Paragraph(_labeled("Generated", _when(accounting.generated_at)), st.body),
        Paragraph(_labeled("Period", f"disclosures since {accounting.since.isoformat()}"), st.body),
        Paragraph(
            "This accounting does not list disclosures for treatment, payment or health care operations, "
            "disclosures to you, or disclosures you authorized (45 CFR 164.528(a)(1)).",
            st.small,
        ),
        Spacer(1, 6),
    ]
    if accounting.entries:
        rows: list[list[object]] = [["Date", "Recipient", "What was disclosed", "Purpose"]]
        for e in accounting.entries:
            recipient = f"{e.recipient}\n{e.recipient_address}" if e.recipient_address else e.recipient
            rows.append([e.day.isoformat(), recipient, e.description, e.purpose])
        w = FRAME_WIDTH
        story.append(_table(rows, (w * 0.13, w * 0.27, w * 0.32, w * 0.28)))
    else:
        story.append(
            Paragraph(
                _x(f"There are no disclosures to account for between {accounting.since.isoformat()} and {generated}."),
                st.body,
            )
        )
    return _build(
        story,
        title="Accounting of disclosures",
        author=accounting.practice_name,
        header=f"{accounting.practice_name} \u2014 confidential health information",
        footer=f"Prepared for {client.name} \u2014 Client: {client.name}, born {client.date_of_birth.isoformat()}",
    )


# --- the authorization form ----------------------------------------------------------------------------------------


def _blank(label: str) -> Table:
    """A label over a line to write on."""
    st = _styles()
    table = Table(
        [["", ""], [Paragraph(_x(label), st.small), ""]],
        colWidths=[FRAME_WIDTH * 0.7, FRAME_WIDTH * 0.3],
        rowHeights=[24, None],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (0, 0), 0.75, colors.black),
                ("SPAN", (0, 1), (1, 1)),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def render_authorization_form(authorization: AuthorizationPart, client: ClientPart, practice_name: str) -> bytes:
    """A pre-filled HIPAA authorization (45 CFR 164.508(c)) for the client to read and sign."""
    st = _styles()
    a = authorization
    psychotherapy = a.kind == "psychotherapy_notes"
    title = (
        "Authorization to disclose psychotherapy notes (45 CFR 164.508(a)(2))"
        if psychotherapy
        else "Authorization to disclose health information (45 CFR 164.508)"
    )
    if a.expires_on:
        expiry = f"This authorization expires on {a.expires_on.isoformat()}."
    elif a.expiry_event:
        expiry = f"This authorization expires upon: {a.expiry_event}."
    else:
        expiry = "This authorization expires on (date or event): ______________________________"
    bullet = "\u2022 " if _fonts().unicode else "- "
    story: list[Flowable] = [
        Paragraph(_x(practice_name), st.title),
        Paragraph(_x(title), st.h1),
        Paragraph(_labeled("Client", f"{client.name}, born {client.date_of_birth.isoformat()}"), st.body),
    ]
    if client.address:
        story.append(Paragraph(_labeled("Address", client.address), st.body))
    story += [
        Paragraph(_labeled("Who may disclose", practice_name), st.body),
        Paragraph(_labeled("Who may receive it", a.recipient), st.body),
        Paragraph(_labeled("Purpose", a.purpose or "At the request of the client"), st.body),
        Paragraph("<b>Information to be disclosed:</b>", st.body),
        *[Paragraph(_x(bullet + _words(i)), st.indent[1]) for i in a.information],
        Paragraph(_x(expiry), st.body),
    ]
    if psychotherapy:
        story.append(
            Paragraph(
                "This authorization is for psychotherapy notes only (45 CFR 164.501). It may not be combined with "
                "an authorization for the use or disclosure of any other information (45 CFR 164.508(b)(3)(ii)).",
                st.notice,
            )
        )
    statements = [
        "You may revoke this authorization at any time by writing to "
        f"{practice_name}. A revocation does not undo a use or disclosure already made in reliance on this "
        "authorization.",
        f"{practice_name} will not condition your treatment, payment, enrollment in a health plan or eligibility "
        "for benefits on whether you sign this authorization.",
        "Information disclosed under this authorization may be redisclosed by the recipient and may then no "
        "longer be protected by federal privacy law (45 CFR Parts 160 and 164).",
        "You may refuse to sign this authorization, and you are entitled to a copy of it once it is signed.",
    ]
    story.append(Paragraph("Your rights", st.h2))
    story += [Paragraph(_x(bullet + s), st.indent[1]) for s in statements]
    story += [
        Spacer(1, 18),
        KeepTogether(
            [
                _blank("Signature of the client or personal representative"),
                _blank("Date"),
                _blank("Printed name"),
                _blank("If signed by a personal representative: the representative's authority to act for the client"),
            ]
        ),
        Spacer(1, 6),
        Paragraph(_x(f"Authorization no. {a.id}"), st.small),
    ]
    return _build(
        story,
        title="Authorization",
        author=practice_name,
        header=f"{practice_name} \u2014 authorization (45 CFR 164.508)",
        footer=f"Prepared for {client.name} \u2014 Client: {client.name}, born {client.date_of_birth.isoformat()}",
    )
