"""Records (enrollments, evidence, certificates, notifications, …) are no longer in Wagtail's
reference index (``wagtail_reference_index_ignore`` on each model): remove the rows earlier
saves left there, so the admin's "usage" lists only content."""

from django.db import migrations

#: (app label, model) of every model that carries ``wagtail_reference_index_ignore``.
RECORDS = [
    ("core", "webhooksubscription"),
    ("core", "webhookdelivery"),
    ("competencies", "positionrequirementevent"),
    ("competencies", "rankhistory"),
    ("competencies", "assignment"),
    ("competencies", "assignmentevent"),
    ("competencies", "evidence"),
    ("courses", "enrollment"),
    ("courses", "lessonprogress"),
    ("courses", "quizattempt"),
    ("courses", "learningrecord"),
    ("certificates", "certificate"),
    ("providers", "offeringrequest"),
    ("evaluations", "behaviourevaluation"),
    ("development", "developmentplan"),
    ("development", "plangoal"),
    ("development", "planactivity"),
    ("development", "plantransition"),
    ("planning", "akpkplan"),
    ("planning", "akpkrow"),
    ("planning", "akpktransition"),
    ("notifications", "mailmessage"),
    ("notifications", "notification"),
    ("notifications", "notificationpreference"),
]


def forget_records(apps, schema_editor) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    reference_index = apps.get_model("wagtailcore", "ReferenceIndex")
    for app_label, model in RECORDS:
        kind = content_type.objects.filter(app_label=app_label, model=model).first()
        if kind is not None:
            reference_index.objects.filter(content_type=kind).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("courses", "0005_siasn_identifiers"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forget_records, migrations.RunPython.noop)]
