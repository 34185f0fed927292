"""Typed readers for configuration from the environment.

Every variable Confide reads goes through `env`, which records it; `docs/configuration.md` must list each one and
a test keeps the two in step. Secrets may come from `NAME_FILE` (a path, e.g. a Docker or systemd secret) so they
never have to sit in the process environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# Aliases: the reader's methods are named after the types they return, which would shadow them in annotations.
Text = str
Flag = bool
Number = int
Texts = list[str]

READ: dict[str, str] = {}  # name -> kind, for the documentation test


class ConfigurationError(RuntimeError):
    """A setting is missing or malformed; production refuses to boot."""


@dataclass(frozen=True)
class Env:
    environ: os._Environ[str] | dict[str, str]
    # Only the process's own reader records what it reads: a reader a test makes over a dict must not add names.
    record: Flag = False

    def _raw(self, name: Text, kind: Text, *, file_ok: Flag = False) -> Text | None:
        if self.record:
            READ[name] = kind
            if file_ok:
                READ[f"{name}_FILE"] = "path"
        if file_ok:
            path = self.environ.get(f"{name}_FILE")
            if path:
                try:
                    return Path(path).read_text().strip()
                except OSError as error:
                    raise ConfigurationError(f"{name}_FILE={path} cannot be read: {error.strerror}") from error
        return self.environ.get(name)

    def str(self, name: Text, default: Text) -> Text:
        value = self._raw(name, "str")
        return default if value is None or value == "" else value

    def secret(self, name: Text) -> Text | None:
        value = self._raw(name, "secret", file_ok=True)
        return value or None

    def bool(self, name: Text, default: Flag) -> Flag:
        value = self._raw(name, "bool")
        if value is None or value == "":
            return default
        lowered = value.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise ConfigurationError(f"{name} must be true or false, not {value!r}")

    def int(self, name: Text, default: Number) -> Number:
        value = self._raw(name, "int")
        if value is None or value == "":
            return default
        try:
            return int(value)
        except ValueError as error:
            raise ConfigurationError(f"{name} must be an integer, not {value!r}") from error

    def list(self, name: Text, default: Texts) -> Texts:
        """Comma-separated. Unset means the default; set but empty means an empty list (e.g. no role needs MFA)."""
        value = self._raw(name, "list")
        if value is None:
            return default
        return [part.strip() for part in value.split(",") if part.strip()]


env = Env(os.environ, record=True)
