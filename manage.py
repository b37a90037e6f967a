#!/usr/bin/env python
"""Django's command-line utility for Tangkas.

Start-up problems with the environment (a malformed ``DATABASE_URL``, a database that does not
answer, a missing production secret) are reported as one line naming what to fix, not as a
traceback.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    from lms.startup import run_reporting_config_errors

    run_reporting_config_errors(sys.argv)


if __name__ == "__main__":
    main()
