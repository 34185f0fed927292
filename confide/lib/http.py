"""Who is asking: the signed-in user and the client's address, read the same way by the web pages and the API.

Behind a reverse proxy (nginx, a load balancer) the TCP peer, `REMOTE_ADDR`, is the proxy for every request. The
client's own address is then only in the `X-Forwarded-For` header the proxy adds, and that header is believable
only when the request really came from a proxy we run: anyone can send the header themselves. So it is read only
when `REMOTE_ADDR` is in `settings.TRUSTED_PROXIES`, and then from the right: each trusted proxy appends the address
it saw, so the right-most address that is not one of our proxies is the first one nobody can have forged.
Neither gunicorn nor Django rewrites `REMOTE_ADDR` from the header (gunicorn's `--forwarded-allow-ips` concerns
the scheme only), which is why this lives here. See docs/configuration.md, `TRUSTED_PROXIES`.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

from confide.people.models import User

# The audit column's width; an IPv6 address with a zone is well within it.
ADDRESS_WIDTH = 64

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def acting_user(request: HttpRequest) -> User:
    """The signed-in user of a request that a guard (web) or the bearer check (API) has already let through."""
    user = request.user
    assert isinstance(user, User)
    return user


@cache
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def trusted_networks() -> tuple[Network, ...]:
    """`TRUSTED_PROXIES` parsed: single addresses and networks (`10.0.0.5`, `10.0.0.0/24`, `::1`)."""
    return _networks(tuple(settings.TRUSTED_PROXIES))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
    return address is not None and any(address in network for network in trusted_networks())


def client_ip(request: HttpRequest) -> str:
    """The client's address for the audit log and sign-in throttling."""
    peer = str(request.META.get("REMOTE_ADDR", "")).strip()
    if not _is_trusted(_address(peer)):
        return peer[:ADDRESS_WIDTH]
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            # A malformed entry cannot be a real client: stop at it rather than skip past to an earlier, forgeable one.
            break
        if not _is_trusted(address):
            return str(address)[:ADDRESS_WIDTH]
    # Only proxies (or nothing usable) in the header: the request came from inside; the peer is all we know.
    return peer[:ADDRESS_WIDTH]
