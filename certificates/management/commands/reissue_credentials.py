"""``manage.py reissue_credentials [--dry-run]``: replace the certificates whose credential
gives the holder's NIP away (security review, issue 12).

Credentials signed before ``CREDENTIAL_SUBJECT_KEY`` name the holder by a plain SHA-256 of the
NIP with its salt beside it, and their PDFs print the NIP's last four digits. Every such
certificate that is valid and unexpired gets a new certificate with the same dates, whose
credential carries only a keyed hash of the NIP; the old one is marked superseded, and its
verification page points to the new one. Revoked, superseded and expired certificates are
left as they are. None of these old files are published any more. Running it again reissues
nothing.
"""

from django.core.management.base import BaseCommand, CommandParser

from certificates import services


class Command(BaseCommand):
    help = "Reissue valid certificates whose credential carries a salted NIP hash (old style)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count the certificates to reissue."
        )

    def handle(self, *args: object, **options: object) -> None:
        dry_run = bool(options["dry_run"])
        count = services.legacy_credentials_reissue(dry_run=dry_run)
        noun = "certificate" if count == 1 else "certificates"
        verb = "would be reissued" if dry_run else "reissued"
        self.stdout.write(f"{count} {noun} {verb}.")
