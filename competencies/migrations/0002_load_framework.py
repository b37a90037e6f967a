"""Load the competency framework shipped in ``competencies/data/framework.json``: the eight
managerial competencies (M.01–M.08), Perekat Bangsa (S.01) and 24 IT technical competencies
for a city government (TIK-01–TIK-24), each with five rated levels.

Later changes to the file are applied with ``manage.py load_framework``.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "framework.json"


def load(apps, schema_editor):
    Competency = apps.get_model("competencies", "Competency")
    CompetencyLevel = apps.get_model("competencies", "CompetencyLevel")
    for entry in json.loads(DATA.read_text(encoding="utf-8")):
        competency, _ = Competency.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name_id": entry["name_id"],
                "name_en": entry["name_en"],
                "kind": entry["kind"],
                "group": entry.get("group", ""),
                "description_id": entry.get("description_id", ""),
                "description_en": entry.get("description_en", ""),
            },
        )
        for level in entry["levels"]:
            CompetencyLevel.objects.update_or_create(
                competency=competency,
                level=level["level"],
                defaults={
                    "description_id": level["description_id"],
                    "description_en": level.get("description_en", ""),
                    "indicators": "\n".join(level.get("indicators", [])),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("competencies", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
