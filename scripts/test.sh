#!/usr/bin/env bash
# The README's test command: set up everything (system packages when root, local venv), start a
# throw-away PostgreSQL on 127.0.0.1 for the store and app tests (unless LEARN_TEST_PG_URL names one),
# check the code (ruff lint and format, mypy: a finding fails the run before any test), run every
# test, stop the server again — also when a test fails — and exit with pytest's status.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh test

echo "test: ruff check, ruff format --check, mypy" >&2
.venv/bin/ruff check --quiet .
.venv/bin/ruff format --check --quiet .
.venv/bin/mypy

pg_dir=""
cleanup() {
  if [ -n "$pg_dir" ]; then bash scripts/pg.sh stop "$pg_dir" || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "${LEARN_TEST_PG_URL:-}" ]; then
  pg_dir=$(mktemp -d -t learn-pg.XXXXXX)
  if url=$(bash scripts/pg.sh start "$pg_dir" fast); then
    export LEARN_TEST_PG_URL="$url"
    echo "test: throw-away PostgreSQL on ${url##*@}" >&2
  else
    echo "test: no PostgreSQL here; the PostgreSQL tests will be skipped" >&2
  fi
fi

status=0
.venv/bin/python -m pytest -q "$@" || status=$?
exit "$status"
