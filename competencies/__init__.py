"""The competency matrix, the core of Tangkas.

What belongs here: the competency framework (competencies and their five levels), the
organisation (units, positions and their requirements), employees and their position history
(assignments, including rotations), the append-only evidence of what each person can do, and
the gap arithmetic that compares them (per person, per unit, as of any date, for a planned
rotation). It imports from no other app of ours.
"""
