"""``manage.py load_framework [FILE]``: create or update the competency framework from JSON."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from competencies.demo import DATA_DIR
from competencies.services import competency_framework_load


class Command(BaseCommand):
    help = "Create or update competencies and their levels from a framework JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=str(DATA_DIR / "framework.json"))

    def handle(self, *args: object, **options: object) -> None:
        entries = json.loads(Path(str(options["file"])).read_text(encoding="utf-8"))
        count = competency_framework_load(entries=entries)
        self.stdout.write(f"Competencies loaded: {count}.")
