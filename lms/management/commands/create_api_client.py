"""``manage.py create_api_client NAME --scopes "a b c"``: an OAuth2 client-credentials client.

Prints ``{"client_id": …, "client_secret": …}`` as JSON. The secret is shown only now: it is
stored hashed.
"""

import json
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from oauth2_provider.models import Application

from core.models import ApiClient


class Command(BaseCommand):
    help = "Create an OAuth2 client (client credentials) for an HR system, with its allowed scopes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument(
            "--scopes", required=True, help='Space-separated, e.g. "employees:read gaps:read"'
        )

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        scopes = str(options["scopes"]).split()
        unknown = sorted(set(scopes) - set(settings.API_SCOPES))
        if not scopes or unknown:
            raise CommandError(
                f"Unknown scopes: {' '.join(unknown) or '(none given)'}. Known: {' '.join(settings.API_SCOPES)}"
            )
        secret = secrets.token_urlsafe(40)
        application = Application.objects.create(
            name=str(options["name"]),
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
            client_secret=secret,
        )
        ApiClient.objects.create(application=application, scopes=" ".join(sorted(set(scopes))))
        self.stdout.write(json.dumps({"client_id": application.client_id, "client_secret": secret}))
