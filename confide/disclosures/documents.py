"""Scanned signed authorization forms: checked by their content, stored outside the web root, hashed.

A form is a PDF or an image (PNG, JPEG, TIFF). Its type is read from its first bytes, never from its name or the
browser's word, and the file must then open as that type (pypdfium2 for a PDF, Pillow for an image): a renamed
executable or a truncated upload is refused. Files go to DATA_DIR/documents/ (mode 0600, random names): nothing
serves that folder; the application reads a file back only for someone the policy lets see it.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from confide.lib.errors import RuleViolation

# The first bytes of each accepted type, and the name it is stored under.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"II*\x00", "image/tiff", "tif"),
    (b"MM\x00*", "image/tiff", "tif"),
)


@dataclass(frozen=True)
class StoredDocument:
    name: str
    content_type: str
    size: int
    sha256: str


def max_bytes() -> int:
    return int(settings.AUTHORIZATION_DOCUMENT_MAX_BYTES)


def sniff(data: bytes) -> tuple[str, str]:
    """(content type, extension) from the content; RuleViolation for anything but a PDF or an image."""
    for magic, content_type, extension in SIGNATURES:
        if data.startswith(magic):
            return content_type, extension
    raise RuleViolation("the signed form must be a PDF or an image (PNG, JPEG or TIFF)", "unsupported_document")


def _opens(data: bytes, content_type: str) -> bool:
    try:
        if content_type == "application/pdf":
            import pypdfium2

            document = pypdfium2.PdfDocument(data)
            ok = len(document) > 0
            document.close()
            return ok
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        return True
    except Exception:  # any failure to parse is the same answer: this is not a readable form
        return False


def documents_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "documents"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def store(data: bytes) -> StoredDocument:
    """Check and store one upload; the caller records the returned name and hash with the authorization."""
    if not data:
        raise RuleViolation("the file is empty", "unsupported_document")
    if len(data) > max_bytes():
        raise RuleViolation(f"the signed form may be at most {max_bytes() // 1_000_000} MB", "document_too_large")
    content_type, extension = sniff(data)
    if not _opens(data, content_type):
        raise RuleViolation("the file does not open as the PDF or image it claims to be", "unsupported_document")
    name = f"{secrets.token_hex(16)}.{extension}"
    descriptor = os.open(documents_dir() / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    return StoredDocument(name, content_type, len(data), hashlib.sha256(data).hexdigest())


def read(name: str) -> bytes:
    """A stored form's bytes. `name` comes from our own database row, never from a request."""
    if not name or "/" in name or name.startswith("."):
        raise FileNotFoundError(name)
    return (documents_dir() / name).read_bytes()
