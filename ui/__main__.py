"""`python -m ui` and the frozen `liaison-desk` program: the desktop window."""

import sys

from ui.app import main

if __name__ == "__main__":
    sys.exit(main())
