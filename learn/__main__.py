"""`python -m learn` runs the command line."""

from learn.cli import main

raise SystemExit(main())
