"""``manage.py generate_dataset --employees N --seed S``: a synthetic organisation for benchmarks."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from competencies.dataset import DatasetNotEmptyError, generate


class Command(BaseCommand):
    help = "Generate a synthetic organisation (units, positions, people, history, evidence)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--employees", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--requirements", type=int, default=25, help="Requirements per position."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Empty the organisation first (keeps the framework).",
        )

    def handle(self, *args: object, **options: object) -> None:
        if settings.ENVIRONMENT == "production":
            raise CommandError("generate_dataset is refused under production settings.")
        employees = int(options["employees"])
        if employees < 1:
            raise CommandError("--employees must be at least 1.")
        started = time.monotonic()
        try:
            summary = generate(
                employees=employees,
                seed=int(options["seed"]),
                requirements_per_position=int(options["requirements"]),
                replace=bool(options["replace"]),
            )
        except DatasetNotEmptyError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Generated {summary.employees} employees, {summary.units} units, {summary.positions} positions, "
            f"{summary.requirements} requirements, {summary.assignments} assignments and "
            f"{summary.evidence} evidence rows in {time.monotonic() - started:.1f}s."
        )
