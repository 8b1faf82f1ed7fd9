#!/usr/bin/env bash
# The README's test command: set up everything (system packages when root, local venv), run every test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh test
exec .venv/bin/python -m pytest -q "$@"
