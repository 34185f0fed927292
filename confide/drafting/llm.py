"""Optional engine: facts from a local LLM behind an OpenAI-compatible chat endpoint (llama.cpp, Ollama, vLLM).

Off by default. The model is asked for structured facts with evidence ids as JSON; everything it returns then passes
the same grounding check as the rule engine's sentences (unsupported sentences are dropped and reported), and risk
is never taken from it: risk polarity always comes from the rule engine.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from confide.drafting.model import Dropped, Fact, Utterance

# Kinds the model may propose; risk kinds are deliberately absent (the rule engine owns risk polarity).
LLM_KINDS = frozenset(
    {
        "symptom",
        "functioning",
        "substance",
        "medication",
        "life_event",
        "observation",
        "measure",
        "attendance",
        "progress",
        "intervention",
        "response",
        "homework",
        "plan",
        "referral",
        "next_session",
        "goal",
        "private",
    }
)
_RISK_KINDS = frozenset({"risk", "risk_report"})

SYSTEM_PROMPT = (
    """You draft a mental-health progress note from a therapy session transcript.
Return only JSON: {"facts": [{"kind": KIND, "text": SENTENCE, "evidence": [UTTERANCE_IDS], "private": BOOL}]}.
KIND is one of: """
    + ", ".join(sorted(LLM_KINDS))
    + """.
Rules: each sentence states one fact in the clinician's voice ("Client reports ...", "Clinician used ...");
cite the ids of the utterances that support it; use the speakers' own words where you can; never state anything
the cited utterances do not say; never add normal findings that were not discussed; do not report suicide,
homicide or self-harm risk (another component does). "private": true only for process observations and sensitive
conversation detail (trauma specifics, relationships, third parties) meant for the therapist's private notes."""
)


class LLMError(RuntimeError):
    """The LLM endpoint could not be reached or answered with something that is not the chat-completions shape."""


@dataclass(frozen=True, slots=True)
class LLMConfig:
    base_url: str
    model: str
    api_key: str | None = None
    # Local CPU inference of a whole session can take minutes; a short timeout would fail every long session.
    timeout: float = 300.0


def _transcript_block(utterances: list[Utterance]) -> str:
    return "\n".join(f"{u.id} [{u.role}] {u.speaker}: {u.text}" for u in utterances)


def _post(config: LLMConfig, payload: dict[str, Any]) -> dict[str, Any]:
    url = config.base_url.rstrip("/") + "/chat/completions"
    headers = {"Content-Type": "application/json"}
    if config.api_key:
        headers["Authorization"] = f"Bearer {config.api_key}"
    if not url.startswith(("http://", "https://")):
        raise LLMError(f"LLM base URL must be http(s), got {config.base_url!r}")
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), headers=headers, method="POST")  # noqa: S310
    try:
        # The scheme is checked above; the URL is the operator's own local server.
        with urllib.request.urlopen(request, timeout=config.timeout) as response:  # noqa: S310
            body = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise LLMError(f"LLM endpoint {url} failed: {exc}") from exc
    if not isinstance(body, dict):
        raise LLMError("LLM endpoint answered with a non-object")
    return body


def _content(body: dict[str, Any]) -> str:
    try:
        content = body["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as exc:
        raise LLMError("LLM answer is not in the chat-completions shape") from exc
    if not isinstance(content, str):
        raise LLMError("LLM answer content is not text")
    return content


def _json_payload(content: str) -> Any:
    fenced = re.search(r"```(?:json)?\s*(.*?)```", content, re.S)
    text = fenced.group(1) if fenced else content
    start = text.find("{")
    end = text.rfind("}")
    if start < 0 or end < start:
        raise LLMError("LLM answer holds no JSON object")
    try:
        return json.loads(text[start : end + 1])
    except json.JSONDecodeError as exc:
        raise LLMError(f"LLM answer is not valid JSON: {exc}") from exc


def llm_facts(utterances: list[Utterance], config: LLMConfig) -> tuple[list[Fact], list[Dropped]]:
    """Facts proposed by the model, plus the proposals refused before grounding (malformed or about risk)."""
    payload = {
        "model": config.model,
        "temperature": 0,
        "response_format": {"type": "json_object"},
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": _transcript_block(utterances)},
        ],
    }
    parsed = _json_payload(_content(_post(config, payload)))
    items = parsed.get("facts") if isinstance(parsed, dict) else None
    if not isinstance(items, list):
        raise LLMError("LLM answer has no 'facts' list")
    facts: list[Fact] = []
    refused: list[Dropped] = []
    for item in items:
        if not isinstance(item, dict):
            refused.append(Dropped(str(item)[:200], (), "malformed fact", "unknown"))
            continue
        kind, text, evidence = item.get("kind"), item.get("text"), item.get("evidence")
        private = item.get("private") is True or kind == "private"
        if (
            not isinstance(text, str)
            or not isinstance(kind, str)
            or not isinstance(evidence, list)
            or not all(isinstance(e, str) for e in evidence)
        ):
            refused.append(Dropped(str(text)[:200], (), "malformed fact", str(kind)))
            continue
        if kind in _RISK_KINDS:
            refused.append(Dropped(text, tuple(evidence), "risk comes from the rule engine", kind))
            continue
        if kind not in LLM_KINDS:
            refused.append(Dropped(text, tuple(evidence), f"unknown kind {kind!r}", kind))
            continue
        facts.append(Fact("private" if private else kind, text.strip(), tuple(evidence), private=private))
    return facts, refused
