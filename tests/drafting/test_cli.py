"""`python -m confide.drafting FILE`: works with no database and no Django."""

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from confide.drafting.cli import main
from tests.drafting.sessions import SESSION

ROOT = Path(__file__).resolve().parents[2]


def test_readable_draft(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "session.vtt"
    path.write_text(SESSION)
    assert main([str(path), "--format", "dap"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("DAP progress note")
    assert "Client denied suicidal ideation.  [u5, u6]" in out
    assert "PRIVATE DRAFT" in out


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.txt"
    path.write_text("Therapist: Any thoughts of suicide?\nClient: No.\n")
    assert main([str(path), "--json", "--input-format", "text", "--format", "BIRP"]) == 0
    shape = json.loads(capsys.readouterr().out)
    assert shape["progress_note"]["format"] == "BIRP"
    assert shape["risk_flags"][0]["polarity"] == "denied"


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("- Denies SI\n- HW: breathing practice\n"))
    assert main(["-", "--input-format", "points"]) == 0
    assert "HW: breathing practice." in capsys.readouterr().out


def test_clinician_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.txt"
    path.write_text("Alex: Have you had thoughts of suicide?\nJordan: No.\n")
    assert main([str(path), "--json", "--clinician", "Jordan"]) == 0
    roles = {u["speaker"]: u["role"] for u in json.loads(capsys.readouterr().out)["utterances"]}
    assert roles == {"Alex": "client", "Jordan": "clinician"}


def test_parse_error_goes_to_stderr_with_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nA: hi\n\n2\nnot a timing\nB: yo\n")
    assert main([str(path), "--input-format", "srt"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "line 6:" in captured.err


def test_missing_file_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["/nonexistent/session.vtt"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_runs_as_module_without_django(tmp_path: Path) -> None:
    path = tmp_path / "s.vtt"
    path.write_text(SESSION)
    code = (
        "import sys, runpy; sys.argv = ['confide.drafting', sys.argv[1], '--json'];"
        "runpy.run_module('confide.drafting', run_name='__main__')"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code + "\nassert 'django' not in sys.modules", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["progress_note"]["format"] == "SOAP"
    plain = subprocess.run(
        [sys.executable, "-m", "confide.drafting", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert plain.returncode == 0 and "SOAP progress note" in plain.stdout


def test_engine_imports_no_django() -> None:
    code = "import sys, confide.drafting, confide.drafting.cli, confide.drafting.llm; print('django' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        check=True,
    )
    assert done.stdout.strip() == "False"
    for path in (ROOT / "confide" / "drafting").rglob("*.py"):
        assert not re.search(r"^\s*(?:import|from)\s+django", path.read_text(), re.M), path
