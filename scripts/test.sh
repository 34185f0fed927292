#!/usr/bin/env bash
# The whole suite, as CI runs it: static checks, then pytest on SQLite and on a throwaway PostgreSQL cluster,
# with the browser tests driving Debian's chromium. Installs what is missing; skips nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export PYTHONDONTWRITEBYTECODE=1

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing ${need_apt[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# axe-core for the accessibility checks in the browser tests (from the npm registry, pinned).
if [ ! -f var/node/node_modules/axe-core/axe.min.js ]; then
  mkdir -p var/node
  (cd var/node && npm install --silent --no-audit --no-fund --prefix . axe-core@4.10.3 >/dev/null)
fi
export CONFIDE_AXE_JS="$PWD/var/node/node_modules/axe-core/axe.min.js"
export CONFIDE_CHROMIUM=/usr/bin/chromium

echo "== ruff"
$BIN/ruff check .
$BIN/ruff format --check .
echo "== mypy"
$BIN/mypy confide config
echo "== migrations"
CONFIDE_DATA_DIR="$(mktemp -d)" $BIN/python manage.py makemigrations --check --dry-run
echo "== check --deploy (production settings)"
tmpsecrets="$(mktemp -d)"
head -c 48 /dev/urandom | base64 > "$tmpsecrets/secret"
head -c 48 /dev/urandom | base64 > "$tmpsecrets/audit"
CONFIDE_ENV=production SECRET_KEY_FILE="$tmpsecrets/secret" AUDIT_HMAC_KEY_FILE="$tmpsecrets/audit" \
  ALLOWED_HOSTS=confide.example.org CONFIDE_DATA_DIR="$tmpsecrets" \
  $BIN/python manage.py check --deploy --fail-level WARNING
rm -rf "$tmpsecrets"

# The two runs are independent (their own databases, live servers and temporary folders) and each uses one core:
# they run side by side, and each prints its report when it ends.
echo "== pytest on SQLite and on PostgreSQL, side by side"
source scripts/pg.sh
pg_start
trap pg_stop EXIT
logs="$(mktemp -d)"
$BIN/pytest -q -p no:cacheprovider >"$logs/sqlite.log" 2>&1 &
sqlite_pid=$!
DATABASE_URL="$PG_URL/confide" VAULT_DATABASE_URL="$PG_URL/confide_vault" $BIN/pytest -q -p no:cacheprovider \
  >"$logs/postgresql.log" 2>&1 &
pg_pid=$!
status=0
wait "$sqlite_pid" || status=1
echo "== pytest on SQLite"
cat "$logs/sqlite.log"
wait "$pg_pid" || status=1
echo "== pytest on PostgreSQL"
cat "$logs/postgresql.log"
rm -rf "$logs"
exit "$status"
