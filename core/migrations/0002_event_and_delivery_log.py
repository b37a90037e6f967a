# Events are stored once (core_event); webhook deliveries will point at them instead of each
# carrying a copy of the payload. This step adds the table and the new columns; 0003 moves
# the existing deliveries' payloads into events, 0004 drops the old columns.

import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import core.models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Event",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("type", models.CharField(choices=[("certificate.issued", "certificate.issued"), ("certificate.revoked", "certificate.revoked"), ("assignment.created", "assignment.created"), ("evidence.recorded", "evidence.recorded"), ("evidence.validated", "evidence.validated"), ("evidence.rejected", "evidence.rejected")], max_length=40)),
                ("data", models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder)),
                ("occurred_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("transaction_id", models.BigIntegerField(db_default=core.models.CurrentTransactionId(), editable=False)),
            ],
            options={
                "indexes": [models.Index(fields=["transaction_id", "id"], name="event_feed_order")],
            },
        ),
        migrations.AddField(
            model_name="webhooksubscription",
            name="consecutive_failures",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="webhooksubscription",
            name="disabled_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="webhooksubscription",
            name="disabled_reason",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="webhookdelivery",
            name="last_attempt_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="webhookdelivery",
            name="next_attempt_at",
            field=models.DateTimeField(default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="webhookdelivery",
            name="event_ref",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="core.event"),
        ),
    ]
