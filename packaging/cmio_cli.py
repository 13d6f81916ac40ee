"""Entry script of the bundled ``cmio`` command (the CLI beside the app in the bundle)."""

import multiprocessing
import sys

from cmio_desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
