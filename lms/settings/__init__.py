"""Settings, split the Wagtail way: ``base`` holds everything, read from the environment;
``dev``, ``test`` and ``production`` change only what differs. ``manage.py`` defaults to
``dev``; pytest uses ``test``; deployments set ``DJANGO_SETTINGS_MODULE=lms.settings.production``.
"""
