"""The frozen bundle's entry point: the same ``hearth`` command as the console script."""

import sys

from ui.cli import main

if __name__ == "__main__":
    sys.exit(main())
