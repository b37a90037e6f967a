"""``manage.py runserver``, which ``make run`` may start while the demo city is still loading.

Django's development server imports the whole project twice before it listens (once in the
process that watches the files, once in the process that serves): about 7 s here. ``make
run`` starts it beside ``seed_demo``, on the other core, and names a file in
``SERVE_AFTER`` that it removes once the demo city is loaded; the server waits for the file
to go before it listens, so no page ever shows half a demo city (``scripts/run.py``).
Without ``SERVE_AFTER`` it is Django's command (with the static files' handler), unchanged.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.contrib.staticfiles.management.commands.runserver import Command as StaticRunserver

#: How often the server looks whether the file is gone.
POLL_SECONDS = 0.1


class Command(StaticRunserver):
    def inner_run(self, *args: Any, **options: Any) -> None:
        marker = os.environ.get("SERVE_AFTER", "").strip()
        if marker and Path(marker).exists():
            self.stdout.write("Waiting for the demo city before listening (SERVE_AFTER) …")
            # Polling a file: the process that removes it is not ours to signal.
            while Path(marker).exists():
                time.sleep(POLL_SECONDS)
        super().inner_run(*args, **options)
