"""Web route matrix rows for the correction pages (merged into test_web_route_matrix.MATRIX)."""

from __future__ import annotations

from typing import Any

from tests.permissions.web_rows import SIGN_IN, Row, get, post

# (rivera, chen, biller, desk, admin, anonymous); see test_web_route_matrix.py for the world these run in.
# Demographics are corrected by the front desk and the clinician of record (`client.update`); the history is for the
# chart's readers (`chart.open`: not administrators); a member of the practice is changed by an administrator. An
# empty readmission fails its form (422) before anything changes.
ROWS: dict[str, Row] = {
    "clients/<id:client_id>/edit/": get(200, 404, 403, 200, 403, SIGN_IN),
    "clients/<id:client_id>/discharge/": get(200, 404, 403, 200, 403, SIGN_IN),
    "clients/<id:client_id>/readmit/": post(422, 404, 403, 422, 403, SIGN_IN),
    "clients/<id:client_id>/history/": get(200, 404, 200, 200, 403, SIGN_IN),
    "manage/users/<id:user_id>/": get(403, 403, 403, 403, 200, SIGN_IN),
}


def extra_ids(world: dict[str, Any]) -> dict[str, Any]:
    """Test values for URL parameters these rows use that the shared world does not provide."""
    return {}
