"""Start CMIO Desktop."""

import sys

from cmio_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
