"""``manage.py end_stale_assignments [--on YYYY-MM-DD] [--dry-run]``: end the assignments that
data recorded before issue 12 left open: those of people who retired or moved to another
agency, and acting (Plt.) ones that run past the start of a definitive holder of their post.

Access never depended on it (``competencies.access`` ignores both already); the gaps, the
vacancies and the HR API's position history do. Run it once after upgrading, ``--dry-run``
first to see how many."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from competencies import services
from core import dates


class Command(BaseCommand):
    help = (
        "End the open assignments of people who left the service, and acting (Plt.) assignments "
        "that run past the start of a definitive holder of their post."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--on",
            dest="last_day",
            default="",
            help="The last day of the departed people's assignments (YYYY-MM-DD; default today).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would end; change nothing."
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            last_day = dates.parse_date(options["last_day"])
        except ValueError:
            raise CommandError("--on takes a date as YYYY-MM-DD.") from None
        with transaction.atomic():
            departed, acting = services.stale_assignments_end(departed_last_day=last_day)
            if options["dry_run"]:
                transaction.set_rollback(True)
        verb = "Would end" if options["dry_run"] else "Ended"
        self.stdout.write(
            f"{verb} {departed} assignments of people who left the service and "
            f"{acting} acting assignments overtaken by a definitive holder."
        )
