"""``manage.py generate_signing_key [--out FILE]``: a new Ed25519 key for signing credentials.

Prints the PEM (for ``CREDENTIAL_SIGNING_KEY``) or writes it to a file readable only by its
owner (for ``CREDENTIAL_SIGNING_KEY_FILE``). To rotate, point the setting at the new key:
credentials signed with the old key stay verifiable, because the issuer's DID document keeps
listing every key it has used.
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certificates import ob3


class Command(BaseCommand):
    help = "Generate an Ed25519 private key (PEM) for signing certificates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", help="Write the key to this file (mode 600) instead of printing it."
        )

    def handle(self, *args: object, **options: object) -> None:
        pem = ob3.generate_private_key_pem()
        out = options.get("out")
        if not out:
            self.stdout.write(pem.rstrip("\n"))
            return
        path = Path(str(out))
        if path.exists():
            raise CommandError(f"{path} exists; refusing to overwrite a signing key.")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(pem)
        self.stdout.write(f"Signing key written to {path}. Set CREDENTIAL_SIGNING_KEY_FILE={path}")
