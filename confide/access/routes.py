"""Every URL declares its verb with `@allows(verb)`, web page and API operation alike.

The declaration is the URL's first gate: a signed-in user whose role the policy gives no grant for the verb is
refused before the view loads anything. The object-level decision (this chart, this note) is the service's
`require`. `DeclaredVerbMiddleware` refuses any web URL that declares no verb, and `check_api` refuses to start an
API with an operation that declares none, so a new page cannot slip past the policy; the route matrices in
`tests/permissions/` walk both registries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.cache import add_never_cache_headers

from confide.access.decide import role_may
from confide.access.policy import PUBLIC, rule
from confide.lib.current import set_client_address
from confide.lib.errors import ConfideError, Forbidden, NotFound
from confide.lib.http import client_ip

F = TypeVar("F", bound=Callable[..., Any])
VERB_ATTR = "access_verb"


def allows(verb: str) -> Callable[[F], F]:
    """Declare the verb a URL performs. Put it closest to the function, under the other decorators."""
    if verb != PUBLIC:
        rule(verb)  # an unknown verb fails at import, not at the first request

    def declare(view: F) -> F:
        setattr(view, VERB_ATTR, verb)
        from ninja.utils import contribute_operation_callback

        # On an API operation, gate the call after ninja has read the function's signature and authenticated.
        contribute_operation_callback(view, _gate_operation)
        return view

    return declare


def refusal_for_role(verb: str) -> ConfideError:
    """What a role without the verb hears: 403, or 404 where the policy hides that the thing exists."""
    if rule(verb).hidden:
        return NotFound("no such thing")
    return Forbidden("this is not for your role")


def verb_of(view: Any) -> str | None:
    """The verb a view declares, looking through wrappers (functools.wraps copies the attribute outwards)."""
    while view is not None:
        found = getattr(view, VERB_ATTR, None)
        if found is not None:
            return str(found)
        view = getattr(view, "__wrapped__", None)
    return None


def _gate_operation(operation: Any) -> None:
    verb = verb_of(operation.view_func)
    inner = operation.view_func
    if verb is None or verb == PUBLIC:
        return

    @wraps(inner)
    def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not role_may(request.user, verb):
            raise refusal_for_role(verb)
        return inner(request, *args, **kwargs)

    operation.view_func = gated


def api_operations(api: Any) -> Iterator[tuple[str, str, Any]]:
    """(method, path, view function) for every operation the API serves."""
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method, str(_prefix).rstrip("/") + "/" + path.lstrip("/"), operation.view_func


def check_api(api: Any) -> None:
    """Refuse to serve an API with an operation that declares no verb."""
    missing = [f"{method} {path}" for method, path, view in api_operations(api) if verb_of(view) is None]
    if missing:
        raise RuntimeError(f"API operations without @allows(verb): {', '.join(sorted(missing))}")


def web_patterns() -> Iterator[tuple[str, URLPattern]]:
    """(route, pattern) for every URL of the web app (not the API, not static files)."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, URLPattern]]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if getattr(entry, "namespace", None) == "api" or getattr(entry, "app_name", None) == "api":
                    continue
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry

    yield from walk(get_resolver().url_patterns, "")


class DeclaredVerbMiddleware:
    """Refuses a web URL that declares no verb, and a signed-in user whose role has no grant for the one declared.

    Every answer it passes on is marked not to be stored by the browser or any cache between: pages and API answers
    carry clinical content, and a shared computer's back button or a proxy must not keep a copy. (Static files are
    served before this middleware and stay cacheable.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        set_client_address(client_ip(request))  # every audit entry of this request says where it came from
        try:
            response = self.get_response(request)
        finally:
            set_client_address("")
        add_never_cache_headers(response)
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and "api" in match.namespaces:
            return None  # the API's operations are checked when it starts (check_api) and gated one by one
        if request.path.startswith(str(settings.STATIC_URL)):
            return None
        verb = verb_of(view)
        if verb is None:
            from confide.web.guards import denied

            return denied(request, Forbidden("this address declares no access rule"))
        user = request.user
        if verb == PUBLIC or not getattr(user, "is_authenticated", False):
            return None  # pages that need a signed-in user send the anonymous to sign in themselves
        if not role_may(user, verb):
            from confide.web.guards import denied

            return denied(request, refusal_for_role(verb))
        return None
