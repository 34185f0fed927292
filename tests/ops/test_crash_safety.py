"""An acknowledged write survives the server being killed: the short run of bench/crash (the full proof, 40 kills
per database, is `bench/crash/run.py`; docs/operations.md, "Crash safety").

Four clients start, sign, add addenda to and read progress notes through the JSON API of a real `confide serve`
while it is SIGKILLed (master and workers at once) at random moments; after each kill the server restarts on the
same databases and every write a client got a 2xx for is checked: there, unchanged, the signature's content hash
verifying, its audit entry written; no note half-signed; `confide audit verify` passing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.crash.driver import crash_run
from confide.people.models import User
from tests.conftest import PASSWORD
from tests.ops.liveserver import server_env


@pytest.mark.django_db(transaction=True, databases=["default", "vault"])
def test_no_acknowledged_write_is_lost_when_the_server_is_killed(
    clinician: User, therapy_session: Any, tmp_path: Path
) -> None:
    report = crash_run(
        server_env(tmp_path),
        username=clinician.username,
        password=PASSWORD,
        session_id=therapy_session.pk,
        kills=3,
        # 16 acknowledged writes among 4 clients: one of them got through a whole note, sign, addendum, read.
        min_acks=16,
        kill_after=(0.0, 0.5),
        log=tmp_path / "server.log",
    )
    assert report.kills == 3
    # The kills landed on work in progress, and there was acknowledged work of every kind to lose.
    assert report.cut_off >= 1
    assert min(report.acknowledged[kind] for kind in ("note", "sign", "addendum", "read")) >= 1, report.acknowledged
    assert report.lost == []
    assert (report.half_signed, report.bad_hash, report.unaudited) == (0, 0, 0)
    assert report.http_mismatches == []
    assert report.audit_ok, report.audit_output
    assert report.ok
