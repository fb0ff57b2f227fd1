"""Allow ``python -m sipsmodel``."""

from sipsmodel.cli import main

main()
