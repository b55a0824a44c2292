"""`python -m liaison_app` and the frozen `liaison` program: the command line."""

import sys

from liaison_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
