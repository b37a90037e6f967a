"""The retirement ages (BUP) of PP 11/2017 Pasal 239(2) as amended by PP 17/2020."""

from django.db import migrations

REGULATION = "PP 11/2017 Pasal 239(2) jo. PP 17/2020"
#: (position kind, functional level contained in the post's, age)
AGES = [
    ("jpt", "", 60),
    ("administrator", "", 58),
    ("pengawas", "", 58),
    ("pelaksana", "", 58),
    ("fungsional", "", 58),
    ("fungsional", "Ahli Madya", 60),
    ("fungsional", "Ahli Utama", 65),
]


def seed(apps, schema_editor):
    RetirementAge = apps.get_model("reports", "RetirementAge")
    for kind, level, age in AGES:
        RetirementAge.objects.get_or_create(
            position_kind=kind,
            functional_level=level,
            defaults={"age": age, "regulation": REGULATION},
        )


def unseed(apps, schema_editor):
    RetirementAge = apps.get_model("reports", "RetirementAge")
    for kind, level, _age in AGES:
        RetirementAge.objects.filter(position_kind=kind, functional_level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
