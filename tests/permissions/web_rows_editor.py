"""Web route matrix rows for the editor pages (merged into test_web_route_matrix.MATRIX)."""

from __future__ import annotations

from typing import Any

from tests.permissions.web_rows import SIGN_IN, Row, get, post  # noqa: F401

# (rivera, chen, biller, desk, admin, anonymous); see test_web_route_matrix.py for the world these run in.
ROWS: dict[str, Row] = {
    # rivera already has a draft for the world's session: refused with a message on the session page (302).
    "sessions/<id:session_id>/notes/from-last/": post(302, 404, 403, 403, 403, SIGN_IN),
}


def extra_ids(world: dict[str, Any]) -> dict[str, Any]:
    """Test values for URL parameters these rows use that the shared world does not provide."""
    return {}
