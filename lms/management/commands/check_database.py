"""Exit non-zero with one line naming ``DATABASE_URL`` when the database does not answer."""

from django.core.management.base import BaseCommand

from lms.dbcheck import database_check


class Command(BaseCommand):
    help = "Check that the database named by DATABASE_URL answers."
    requires_system_checks = []

    def handle(self, *args: object, **options: object) -> None:
        problem = database_check()
        if problem:
            self.stderr.write(f"tangkas: {problem}")
            raise SystemExit(2)
        self.stdout.write("Database answers.")
