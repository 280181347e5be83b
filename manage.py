#!/usr/bin/env python
"""Django's command-line utility for SaferPlaces."""

import os
import sys
from pathlib import Path


def main() -> None:
    src = Path(__file__).resolve().parent / "src"
    if str(src) not in sys.path:
        sys.path.insert(0, str(src))
    env = os.environ.get("SAFERPLACES_ENV", "development")
    if env not in {"development", "production"}:
        sys.exit(f"SAFERPLACES_ENV must be 'development' or 'production', not {env!r}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"saferplaces.config.settings.{env}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
