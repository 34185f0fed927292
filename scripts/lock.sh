#!/usr/bin/env bash
# Regenerate the hashed lock files in requirements/ (README.md, "Dependencies"). Existing pins are kept unless asked:
#   bash scripts/lock.sh                               # after editing pyproject.toml: add or drop what changed
#   bash scripts/lock.sh --upgrade-package django      # move one package (and what it needs) to its newest release
#   bash scripts/lock.sh --upgrade                     # move everything
# uv runs from a throwaway environment, never the project's .venv. It needs the package index; nothing else does.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
PYTHON="${PYTHON:-python3}"
tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
"$PYTHON" -m venv "$tools/venv"
"$tools/venv/bin/pip" install --quiet "uv==$UV_VERSION"
compile() {
  # Python 3.13, every platform's markers, a hash for every file each pin may install from.
  "$tools/venv/bin/uv" pip compile --quiet --universal --python-version 3.13 --generate-hashes \
    --custom-compile-command "bash scripts/lock.sh" "$@"
}
compile pyproject.toml --extra dev -o requirements/dev.txt "$@"
# The runtime lock is the dev lock without the dev tools: the same versions, so tests run what production runs.
compile pyproject.toml -c requirements/dev.txt -o requirements/runtime.txt "$@"
compile requirements/build.in -o requirements/build.txt "$@"
compile requirements/audit.in -o requirements/audit.txt "$@"
setuptools="$(grep -o '^setuptools==[^ ]*' requirements/build.txt)"
sed -i "s/^requires = \[\"setuptools[^\"]*\"\]/requires = [\"$setuptools\"]/" pyproject.toml
grep -q "^requires = \[\"$setuptools\"\]" pyproject.toml || { echo "pyproject.toml: could not pin $setuptools" >&2; exit 1; }
echo "requirements/*.txt regenerated; pyproject.toml builds with $setuptools"
