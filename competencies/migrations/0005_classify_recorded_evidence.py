"""Classify the evidence recorded before the evidence policy (competencies/policy.py).

The rules are written out here as they stood when the policy came in, so this migration keeps
its meaning whatever the policy becomes later:

- assessment, supervisor and HR validation, migration: validated (they count, as before);
- a course completion of a technical competency up to ``EVIDENCE_COURSE_LEVEL_CEILING``:
  validated; above it: provisional, waiting for a supervisor or HR;
- a course completion or an external certificate of a managerial or socio-cultural
  competency: rejected, with the reason in the review note (it counted before; it no longer
  does, and the person sees why);
- a self assessment that was validated the earlier way (a validation row pointing at it):
  validated by whoever recorded that validation; any other self assessment or external
  certificate: provisional.

Every row starts provisional (the column's default); the migration prints how many rows each
rule moved.
"""

from django.conf import settings
from django.db import migrations

REJECTED_NOTE = (
    "Ditolak otomatis oleh kebijakan bukti: level manajerial dan sosial kultural berasal dari "
    "asesmen kompetensi atau validasi atasan/BKPSDM, bukan dari kursus atau sertifikat. "
    "(Rejected by the evidence policy: managerial and socio-cultural levels come from a "
    "competency assessment or a supervisor's or HR's validation, not from a course or a "
    "certificate.)"
)

RULES = [
    (
        "trusted sources → validated",
        """
        UPDATE competencies_evidence SET status = 'validated'
        WHERE status = 'provisional'
          AND source IN ('assessment', 'supervisor_validation', 'hr_validation', 'migration')
        """,
    ),
    (
        "course or certificate of a managerial/socio-cultural competency → rejected",
        """
        UPDATE competencies_evidence ev SET status = 'rejected', reviewed_at = now(),
               review_note = %(note)s
        FROM competencies_competency c
        WHERE c.id = ev.competency_id AND c.kind <> 'teknis' AND ev.status = 'provisional'
          AND ev.source IN ('course_completion', 'external_certificate')
        """,
    ),
    (
        "technical course completion up to the ceiling → validated",
        """
        UPDATE competencies_evidence SET status = 'validated'
        WHERE status = 'provisional' AND source = 'course_completion' AND level <= %(ceiling)s
        """,
    ),
    (
        "self assessment validated the earlier way → validated",
        """
        UPDATE competencies_evidence sa SET status = 'validated', reviewed_by_id = v.recorded_by_id,
               reviewed_at = v.recorded_at, review_note = v.note
        FROM (SELECT DISTINCT ON (validates_id) validates_id, recorded_by_id, recorded_at, note
              FROM competencies_evidence WHERE validates_id IS NOT NULL
              ORDER BY validates_id, recorded_at) v
        WHERE v.validates_id = sa.id AND sa.status = 'provisional'
          AND sa.source = 'self_assessment'
        """,
    ),
]


def classify(apps, schema_editor):
    parameters = {"note": REJECTED_NOTE, "ceiling": settings.EVIDENCE_COURSE_LEVEL_CEILING}
    with schema_editor.connection.cursor() as cursor:
        for label, sql in RULES:
            cursor.execute(sql, parameters)
            if cursor.rowcount:
                print(f"\n  Evidence policy: {cursor.rowcount} row(s): {label}", end="")
        cursor.execute("SELECT count(*) FROM competencies_evidence WHERE status = 'provisional'")
        (pending,) = cursor.fetchone()
        if pending:
            print(f"\n  Evidence policy: {pending} row(s) stay provisional", end="")


class Migration(migrations.Migration):
    dependencies = [("competencies", "0004_evidence_status")]

    operations = [migrations.RunPython(classify, migrations.RunPython.noop)]
