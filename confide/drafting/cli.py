"""`python -m confide.drafting FILE`: print a draft; no database, no Django."""

from __future__ import annotations

import argparse
import json
import sys
from typing import get_args

from confide.drafting.engine import draft
from confide.drafting.formats import load_formats
from confide.drafting.general import VISIT
from confide.drafting.limits import Limits
from confide.drafting.model import NOT_DOCUMENTED, Draft, ParseError
from confide.drafting.transcript import TranscriptFormat


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="confide draft", description="Draft a progress note from a transcript.")
    parser.add_argument("file", help="transcript file (WebVTT, SRT, 'Speaker: text', or jotted points); - for stdin")
    parser.add_argument(
        "--format",
        default="SOAP",
        type=str.upper,
        choices=[*sorted(load_formats()), VISIT],
        help="note format (default SOAP; VISIT is the general medical visit note)",
    )
    parser.add_argument("--json", action="store_true", help="print the API's JSON shape")
    parser.add_argument(
        "--input-format",
        default="auto",
        choices=list(get_args(TranscriptFormat)),
        help="transcript format (default: detect)",
    )
    parser.add_argument("--clinician", default=None, metavar="NAME", help="the clinician's name as in the transcript")
    parser.add_argument(
        "--client", default=None, metavar="NAME", help="in a group session, the member the note is for (their name)"
    )
    parser.add_argument(
        "--max-words",
        type=int,
        default=30_000,
        metavar="N",
        help="refuse more than N words of speech (default 30000, as the server; 0 for no bound)",
    )
    parser.add_argument("--llm-url", default=None, help="OpenAI-compatible base URL (optional LLM engine)")
    parser.add_argument("--llm-model", default=None, help="model name for --llm-url")
    return parser


def render(result: Draft) -> str:
    lines: list[str] = [
        f"{result.note_format} progress note (draft; engine {result.engine} {result.engine_version})",
        "",
    ]
    for name, sentences in result.sections.items():
        lines.append(result.section_titles.get(name, name).upper())
        if not sentences:
            lines.append(f"  {NOT_DOCUMENTED}")
        for s in sentences:
            lines.append(f"  - {s.text}  [{', '.join(s.evidence)}]")
        lines.append("")
    lines.append("RISK FLAGS")
    for flag in result.risk_flags:
        lines.append(f"  - {flag.type}: {flag.polarity}  [{', '.join(flag.evidence)}]")
    if not result.risk_flags:
        lines.append("  (none)")
    if result.risk_context:
        lines.append("NOT THE CLIENT'S RISK (a figure of speech, someone else)")
        lines += [f"  - {f.type}: {f.polarity}  [{', '.join(f.evidence)}]" for f in result.risk_context]
    lines += ["", "PRIVATE DRAFT (psychotherapy note; author only)"]
    lines += [f"  - {s.text}  [{', '.join(s.evidence)}]" for s in result.private_draft] or ["  (empty)"]
    if result.dropped:
        lines += ["", f"DROPPED ({len(result.dropped)} sentence(s) failed the grounding or 164.501 check)"]
        lines += [f"  - {d.text}  ({d.reason})" for d in result.dropped]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.file == "-":
            text = sys.stdin.read()
        else:
            with open(args.file, encoding="utf-8-sig") as handle:
                text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"confide draft: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    llm = None
    if args.llm_url:
        from confide.drafting.llm import LLMConfig

        llm = LLMConfig(base_url=args.llm_url, model=args.llm_model or "default")
    try:
        limits = Limits(max_words=args.max_words or None)
        result = draft(
            text,
            args.input_format,
            args.format,
            clinician_name=args.clinician,
            client_name=args.client,
            llm=llm,
            limits=limits,
        )
    except ParseError as exc:
        print(f"confide draft: {args.file}: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"confide draft: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) if args.json else render(result))
    return 0
