"""Web route matrix rows for the supervision pages (merged into test_web_route_matrix.MATRIX)."""

from __future__ import annotations

from typing import Any

from tests.permissions.web_rows import SIGN_IN, Row, get, post

# (rivera, chen, biller, desk, admin, anonymous); see test_web_route_matrix.py for the world these run in.
# rivera is the author of the world's note and summary, never their supervisor: co-signature verbs are 403 for them
# (they may see the record) and 404 for chen (who may not). Empty POSTs fail the attestation (422) once allowed.
ROWS: dict[str, Row] = {
    "supervision/": get(200, 200, 403, 403, 403, SIGN_IN),
    "supervision/cosign/": post(422, 422, 403, 403, 403, SIGN_IN),
    "supervision/notes/<id:note_id>/": get(403, 404, 403, 403, 403, SIGN_IN),
    "supervision/notes/<id:note_id>/cosign/": post(403, 404, 403, 403, 403, SIGN_IN),
    "supervision/notes/<id:note_id>/return/": post(403, 404, 403, 403, 403, SIGN_IN),
    "supervision/summaries/<id:summary_id>/": get(403, 404, 403, 403, 403, SIGN_IN),
    "supervision/summaries/<id:summary_id>/cosign/": post(403, 404, 403, 403, 403, SIGN_IN),
    "supervision/summaries/<id:summary_id>/return/": post(403, 404, 403, 403, 403, SIGN_IN),
}


def extra_ids(world: dict[str, Any]) -> dict[str, Any]:
    """Test values for URL parameters these rows use that the shared world does not provide."""
    return {}
