"""Web route matrix rows for the calendar pages (merged into test_web_route_matrix.MATRIX)."""

from __future__ import annotations

from typing import Any

from tests.permissions.web_rows import SIGN_IN, Row, get, post

# (rivera, chen, biller, desk, admin, anonymous); see test_web_route_matrix.py for the world these run in.
# The calendar is the schedulers' (clinicians: their own and their supervisees'; the front desk: everyone's). A
# booking is the session's treating clinician's or the front desk's: another clinician's client is a 404. The feed
# is a clinician's own; its address needs no sign-in, and an unknown token is a 404 for everyone.
ROWS: dict[str, Row] = {
    "calendar/": get(200, 200, 403, 200, 403, SIGN_IN),
    "calendar/new/": get(200, 200, 403, 200, 403, SIGN_IN),
    "calendar/sessions/<id:session_id>/": get(200, 404, 403, 200, 403, SIGN_IN),
    "calendar/sessions/<id:session_id>/move/": post(422, 404, 403, 422, 403, SIGN_IN),
    "calendar/sessions/<id:session_id>/cancel/": post(422, 404, 403, 422, 403, SIGN_IN),
    "calendar/sessions/<id:session_id>/link/": post(302, 404, 403, 302, 403, SIGN_IN),
    "calendar/feed/": get(200, 200, 403, 404, 403, SIGN_IN),
    "calendar/feed/rotate/": post(302, 302, 403, 404, 403, SIGN_IN),
    "calendar/feed/off/": post(302, 302, 403, 404, 403, SIGN_IN),
    "calendar/feed/<str:token>.ics": get(404, 404, 404, 404, 404, 404),
}


def extra_ids(world: dict[str, Any]) -> dict[str, Any]:
    """Test values for URL parameters these rows use that the shared world does not provide."""
    return {}
