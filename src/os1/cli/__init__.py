"""Command-line interface: one module per command group of the `os1` command."""
