"""``python -m crimestats.calibration``: see :mod:`crimestats.calibration.report`."""

import sys

from crimestats.calibration.report import main

sys.exit(main())
