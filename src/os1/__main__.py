"""``python -m os1`` runs the same command as ``os1``."""

from os1.cli.main import main

main()
