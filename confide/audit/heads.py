"""Heads exported off the server: one signed line per export, appended to a file or sent to syslog.

A head is the newest entry's seq and MAC (with its action and time) at the moment of the export, plus the export's
own time, signed with a key derived from AUDIT_HMAC_KEY so that someone without the key cannot forge a line. Kept
where the server cannot rewrite it (another host, a remote syslog), the heads let `confide audit verify --heads FILE`
tell a log cut back (a head beyond its end) or rewritten (another MAC at a head's seq), even when the anchor file was
rewritten too.
"""

from __future__ import annotations

import hmac
import json
import logging
import logging.handlers
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from confide.audit.anchor import Checkpoint

HEAD_VERSION = 1
_SIGNED = ("v", "seq", "mac", "action", "entry_at", "exported_at")
SYSLOG_IDENT = "confide-audit-head: "


class HeadsUnreadable(ValueError):
    """A heads file, or one of its lines, that cannot be trusted as a list of exported heads."""


def head_key(audit_key: bytes) -> bytes:
    """The signing key of exported heads: derived, so a head's signature is never a valid entry MAC."""
    return hmac.digest(audit_key, b"confide.audit.head-export.v1", "sha256")


@dataclass(frozen=True)
class ExportedHead:
    seq: int
    mac: str
    action: str
    entry_at: str
    exported_at: str

    def checkpoint(self) -> Checkpoint:
        return Checkpoint(self.seq, self.mac, self.action, self.entry_at)

    def _fields(self) -> dict[str, Any]:
        return {
            "v": HEAD_VERSION,
            "seq": self.seq,
            "mac": self.mac,
            "action": self.action,
            "entry_at": self.entry_at,
            "exported_at": self.exported_at,
        }

    def line(self, audit_key: bytes) -> str:
        """One JSON line: the head's fields and `sig`, HMAC-SHA256 over their canonical JSON."""
        return json.dumps({**self._fields(), "sig": _signature(audit_key, self._fields())}, separators=(",", ":"))


def _signature(audit_key: bytes, fields: dict[str, Any]) -> str:
    message = json.dumps([fields[name] for name in _SIGNED], separators=(",", ":"), ensure_ascii=True)
    return hmac.digest(head_key(audit_key), message.encode(), "sha256").hex()


def parse_line(text: str, audit_key: bytes, *, where: str = "") -> ExportedHead:
    """A line as `line` wrote it. Anything before its first `{` and after the object it opens is ignored, so lines
    copied from a syslog (with its own timestamp and host in front) read as they are."""
    at = f" ({where})" if where else ""
    start = text.find("{")
    try:
        raw = json.JSONDecoder().raw_decode(text[start:])[0] if start >= 0 else None
        if not isinstance(raw, dict) or raw.get("v") != HEAD_VERSION:
            raise HeadsUnreadable(f"not an exported audit head{at}")
        head = ExportedHead(
            seq=_int(raw["seq"]),
            mac=_hex(raw["mac"]),
            action=str(raw["action"]),
            entry_at=str(raw["entry_at"]),
            exported_at=str(raw["exported_at"]),
        )
        signature = str(raw["sig"])
    except (ValueError, KeyError, TypeError) as error:
        if isinstance(error, HeadsUnreadable):
            raise
        raise HeadsUnreadable(f"not an exported audit head{at}: {error}") from error
    if not hmac.compare_digest(signature, _signature(audit_key, head._fields())):
        raise HeadsUnreadable(f"the exported head for #{head.seq}{at} has a bad signature: it was forged or altered")
    return head


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"seq must be a positive whole number, not {value!r}")
    return value


def _hex(value: object) -> str:
    if not isinstance(value, str) or len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise ValueError("mac must be 64 lower-case hex digits")
    return value


def read_heads(path: Path, audit_key: bytes) -> list[ExportedHead]:
    """Every head in the file, in its order; blank lines skipped. Two heads at one seq with different MACs cannot
    both be true: that is refused, not left for the verifier to pick one."""
    try:
        text = path.read_text()
    except OSError as error:
        raise HeadsUnreadable(f"the heads file {path} cannot be read: {error}") from error
    heads = [
        parse_line(line, audit_key, where=f"{path}, line {number}")
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]
    seen: dict[int, str] = {}
    for head in heads:
        if seen.setdefault(head.seq, head.mac) != head.mac:
            raise HeadsUnreadable(f"the heads file {path} holds two different MACs for #{head.seq}")
    return heads


def append_head(path: Path, line: str) -> None:
    """Append one line (created 0600 if new), flushed to disk before returning."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def syslog_address(text: str) -> str | tuple[str, int]:
    """A socket path (`/dev/log`) or `HOST:PORT` (UDP)."""
    if text.startswith("/"):
        return text
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise HeadsUnreadable(f"a syslog address is a socket path or HOST:PORT, not {text!r}")
    return host.strip("[]"), int(port)


class _SysLog(logging.handlers.SysLogHandler):
    def handleError(self, record: logging.LogRecord) -> None:
        raise  # a head that did not leave the server must fail the job, not print a traceback and exit 0


def send_to_syslog(line: str, address: str | tuple[str, int]) -> None:
    """One message, facility `auth`, severity `info`, tagged `confide-audit-head`."""
    handler = _SysLog(address=address, facility=logging.handlers.SysLogHandler.LOG_AUTH, socktype=socket.SOCK_DGRAM)
    handler.ident = SYSLOG_IDENT
    try:
        record = logging.LogRecord("confide.audit.heads", logging.INFO, __file__, 0, "%s", (line,), None)
        handler.emit(record)
    finally:
        handler.close()
