"""Turn configuration mistakes found at start-up into one clear line instead of a traceback."""

import sys

from django.core.exceptions import ImproperlyConfigured


class StartupError(ImproperlyConfigured):
    """A setting from the environment is missing or wrong; the message names the variable."""


def run_reporting_config_errors(argv: list[str]) -> None:
    # Imported here: manage.py and the WSGI module import this module before Django's settings
    # are loaded, and these imports would then load (and misreport) them too early.
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(argv)
    except StartupError as exc:
        sys.stderr.write(f"tangkas: {exc}\n")
        sys.exit(2)
    except OperationalError as exc:
        # Imported here for the same reason as above.
        from lms.dbcheck import database_check, describe_database_error

        if database_check() is None:
            raise  # the database answers: this is a real error, keep its traceback
        sys.stderr.write(f"tangkas: {describe_database_error(exc)}\n")
        sys.exit(2)
