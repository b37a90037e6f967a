# The HR API's records (idempotency keys, API clients, webhooks) now belong to the bottom
# layer, app "core" (core/migrations/0001_initial.py). Their tables keep their names: this
# migration only removes them from the project app's state, the data stays where it is.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("lms", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="WebhookDelivery"),
                migrations.DeleteModel(name="WebhookSubscription"),
                migrations.DeleteModel(name="IdempotencyRecord"),
                migrations.DeleteModel(name="ApiClient"),
            ],
            database_operations=[],
        ),
    ]
