# Deliveries point at their event; the copy of the payload and the event name go.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_move_delivery_payloads_into_events"),
    ]

    operations = [
        migrations.RemoveField(model_name="webhookdelivery", name="event"),
        migrations.RemoveField(model_name="webhookdelivery", name="payload"),
        migrations.RenameField(model_name="webhookdelivery", old_name="event_ref", new_name="event"),
        migrations.AlterField(
            model_name="webhookdelivery",
            name="event",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="deliveries", to="core.event"),
        ),
        migrations.AddConstraint(
            model_name="webhookdelivery",
            constraint=models.UniqueConstraint(fields=("subscription", "event"), name="webhook_delivery_once_per_event"),
        ),
        migrations.AddIndex(
            model_name="webhookdelivery",
            index=models.Index(condition=models.Q(("status", "pending")), fields=["next_attempt_at"], name="webhook_delivery_due"),
        ),
    ]
