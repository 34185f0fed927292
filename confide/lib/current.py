"""The request being served, as far as code far from the view needs it: the client's address for the audit log.

The access middleware sets it when a request starts; `confide.audit.services.record` falls back to it, so an entry
written by a service the view did not hand the address to still says where the request came from. Outside a
request (commands, tests calling services directly) it is empty."""

from __future__ import annotations

from contextvars import ContextVar

_address: ContextVar[str] = ContextVar("confide_client_address", default="")


def set_client_address(address: str) -> None:
    _address.set(address)


def client_address() -> str:
    return _address.get()
