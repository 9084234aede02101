"""``python -m thermodiff audit ...``: see :mod:`thermodiff.cli`."""

import sys

from thermodiff.cli import main

sys.exit(main())
