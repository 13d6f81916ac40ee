"""Start CMIO Desktop."""

import multiprocessing
import sys

from cmio_desktop.app import main

if __name__ == "__main__":
    # A bundled (frozen) app starts its child processes through this script again.
    multiprocessing.freeze_support()
    sys.exit(main())
