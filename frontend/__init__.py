"""The web pages people use: templates, static files and the views that serve them.

What belongs here: the base layout, the learner home, the head-of-unit dashboard, error pages,
and their views. No models and no business rules: views call the selectors and services of
the other apps.
"""
