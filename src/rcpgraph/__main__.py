"""`python -m rcpgraph` runs the CLI."""

from rcpgraph.cli import main

raise SystemExit(main())
