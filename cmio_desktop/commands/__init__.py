"""Subcommands of the ``cmio`` command line, one module per feature (registered in ``cli.py``)."""
