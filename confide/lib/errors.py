"""Domain errors that map to the API's status codes (docs/api.md, "Errors"). Services raise; views translate."""

from __future__ import annotations


class ConfideError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, detail: str, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code


class Correctable(ConfideError):
    """A refusal the person can fix on the page (a rule, a state): views show it beside the form. Refusals of access
    (NotFound, Forbidden, Unauthorized) are not Correctable: they go on up to the error page, audited once."""


class RuleViolation(Correctable):
    """Well-formed but breaks a rule (422)."""

    status = 422
    code = "rule_violation"


class Conflict(Correctable):
    """Conflicts with the thing's state, e.g. editing a signed note (409)."""

    status = 409
    code = "conflict"


class NotFound(ConfideError):
    """Does not exist, or the caller may not know it exists (404)."""

    status = 404
    code = "not_found"


class Forbidden(ConfideError):
    """Authenticated, but the role may not act on this kind of thing (403)."""

    status = 403
    code = "forbidden"


class Unauthorized(ConfideError):
    status = 401
    code = "unauthorized"


class Gone(ConfideError):
    """Existed, but is used up or expired: a one-time link after its one use (410)."""

    status = 410
    code = "gone"
