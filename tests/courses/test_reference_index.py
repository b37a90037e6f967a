"""Wagtail's reference index holds content only: a person's records are never indexed, so a
write of one costs no index update, and the migration's list matches the models."""

from __future__ import annotations

import importlib

from django.apps import apps
from wagtail.models import ReferenceIndex

OURS = {
    "competencies", "certificates", "notifications", "identity", "planning", "development",
    "evaluations", "reports", "core", "courses", "providers",
}  # fmt: skip
#: Content the editors manage in Wagtail, whose usage the admin shows.
CONTENT = {
    "competencies.Position",
    "courses.CourseIndexPage",
    "courses.CoursePage",
    "courses.LessonPage",
    "providers.Offering",
}


def test_only_content_is_indexed_and_the_migration_names_every_record() -> None:
    indexed = {
        f"{m._meta.app_label}.{m.__name__}"
        for m in apps.get_models()
        if m._meta.app_label in OURS and ReferenceIndex.model_is_indexable(m)
    }
    assert indexed == CONTENT
    migration = importlib.import_module(
        "courses.migrations.0006_records_out_of_the_reference_index"
    )
    ignored = {
        (m._meta.app_label, m._meta.model_name)
        for m in apps.get_models()
        if m._meta.app_label in OURS and getattr(m, "wagtail_reference_index_ignore", False)
    }
    # Models that came after the migration had no rows in the index to remove.
    later = {
        ("competencies", "proficiency"),
        ("competencies", "summaryrollup"),
        ("competencies", "summaryrollupstate"),
        ("competencies", "summaryrollupmark"),
    }
    assert set(migration.RECORDS) | later == ignored
