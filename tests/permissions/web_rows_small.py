"""Web route matrix rows for the small pages (merged into test_web_route_matrix.MATRIX)."""

from __future__ import annotations

from typing import Any

from tests.permissions.web_rows import SIGN_IN, Row, get, post  # noqa: F401

# (rivera, chen, biller, desk, admin, anonymous); see test_web_route_matrix.py for the world these run in.
ROWS: dict[str, Row] = {
    # The biller's CSV of the billing page's rows: the billing page's own row.
    "billing/export.csv": get(403, 403, 200, 403, 403, SIGN_IN),
    # The old favicon address: a permanent redirect to the static SVG, for everyone, signed in or not.
    "favicon.ico": get(301, 301, 301, 301, 301, 301),
}


def extra_ids(world: dict[str, Any]) -> dict[str, Any]:
    """Test values for URL parameters these rows use that the shared world does not provide."""
    return {}
