"""The competency matrix, the core of Tangkas.

What belongs here: the competency framework (competencies and their five levels), the
organisation (units, positions and their requirements), employees and their position history
(assignments, including rotations), the append-only evidence of what each person can do, and
the gap arithmetic that compares them (per person, per unit, as of any date, for a planned
rotation), and who may see whom (``access``). It imports from no other app of ours, only the
bottom layer ``core``.

How it is laid out: ``models``; writes in ``services`` (and ``bulk``, ``imports`` for bulk
upserts and spreadsheet imports); reads in the ``selectors`` package (by topic, over one set of
SQL fragments in ``selectors/_sql.py``); the access policy in ``access``; the AKPK file in
``exports``; the HR API in the ``api`` package (one module per resource) mounted from ``urls``;
the admin in ``wagtail_hooks`` and ``admin_views``; domain signals in ``signals``.
"""
