"""The hashed lock files in requirements/ agree with pyproject.toml, pin everything, and are what `make` installs.

Regenerate them with `bash scripts/lock.sh` (README.md, "Dependencies") when pyproject.toml's dependencies change.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ("runtime", "dev", "build", "audit")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pins(lock: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in (ROOT / "requirements" / f"{lock}.txt").read_text().splitlines():
        if match := PIN.match(line):
            found[canonicalize_name(match[1])] = match[2]
    return found


def pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def direct(requirements: list[str]) -> dict[str, str]:
    parsed = [Requirement(text) for text in requirements]
    return {canonicalize_name(r.name): str(r.specifier) for r in parsed}


@pytest.mark.parametrize("lock", LOCKS)
def test_every_locked_package_is_pinned_with_hashes(lock: str) -> None:
    text = (ROOT / "requirements" / f"{lock}.txt").read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2].strip())
    assert entries, lock
    for entry in entries:
        first = entry.splitlines()[0]
        assert PIN.match(first), f"{lock}.txt: not an exact pin: {first}"
        assert "--hash=sha256:" in entry, f"{lock}.txt: {first} has no hash"


def test_the_locks_hold_pyprojects_pins() -> None:
    project = pyproject()["project"]
    assert isinstance(project, dict)
    runtime, dev = pins("runtime"), pins("dev")
    for lock, wanted in ((runtime, project["dependencies"]), (dev, project["optional-dependencies"]["dev"])):
        for name, specifier in direct(wanted).items():
            assert name in lock, f"{name} is in pyproject.toml but not locked: run scripts/lock.sh"
            assert specifier == f"=={lock[name]}", f"{name}: pyproject says {specifier}, the lock {lock[name]}"
    assert set(direct(project["dependencies"])) <= set(dev)


def test_runtime_and_dev_locks_agree_on_every_shared_package() -> None:
    runtime, dev = pins("runtime"), pins("dev")
    assert set(runtime) <= set(dev)
    assert {name: runtime[name] for name in runtime} == {name: dev[name] for name in runtime}


def test_the_build_requirement_is_pinned_to_the_locked_setuptools() -> None:
    system = pyproject()["build-system"]
    assert isinstance(system, dict)
    assert system["requires"] == [f"setuptools=={pins('build')['setuptools']}"]


def test_make_installs_only_from_the_locks() -> None:
    recipe = (ROOT / "Makefile").read_text()
    installs = [line.strip() for line in recipe.splitlines() if "pip install" in line]
    assert installs, "the Makefile installs nothing"
    for line in installs:
        assert "--require-hashes -r requirements/" in line or "--no-deps" in line, line
