#!/usr/bin/env bash
# The README's main-job command: set up, build the bundled sample (deck + handout into dist/),
# then start the quiz app on it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
.venv/bin/learn build decks/sample.toml
exec .venv/bin/learn quiz dist/sample.json "$@"
