# The HR API's records move from the project package (app label "lms") to the bottom layer
# (app label "core"). The tables already exist under their old names: only Django's state
# changes here, and the content types (with their permissions) are handed over too.

import django.contrib.postgres.fields
import django.core.serializers.json
import django.db.models.deletion
import secrets
from django.conf import settings
from django.db import migrations, models

MODELS = ["apiclient", "idempotencyrecord", "webhooksubscription", "webhookdelivery"]


def hand_over_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="core", model=model).exists():
            ContentType.objects.filter(app_label="lms", model=model).update(app_label="core")


def hand_back_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="core", model__in=MODELS).update(app_label="lms")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("lms", "0002_hand_over_api_records_to_core"),
        migrations.swappable_dependency(settings.OAUTH2_PROVIDER_APPLICATION_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ApiClient',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('scopes', models.CharField(max_length=500)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('application', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='tangkas_client', to=settings.OAUTH2_PROVIDER_APPLICATION_MODEL)),
                    ],
                    options={
                        'db_table': 'lms_apiclient',
                        'verbose_name': 'API client',
                    },
                ),
                migrations.CreateModel(
                    name='IdempotencyRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('owner', models.CharField(max_length=200)),
                        ('key', models.CharField(max_length=200)),
                        ('fingerprint', models.CharField(max_length=64)),
                        ('status_code', models.PositiveSmallIntegerField(null=True)),
                        ('body', models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'db_table': 'lms_idempotencyrecord',
                        'constraints': [models.UniqueConstraint(fields=('owner', 'key'), name='idempotency_key_once_per_owner')],
                    },
                ),
                migrations.CreateModel(
                    name='WebhookSubscription',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('url', models.URLField(max_length=500)),
                        ('events', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=40), size=None)),
                        ('secret', models.CharField(default=secrets.token_hex, editable=False, max_length=64)),
                        ('is_active', models.BooleanField(default=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='webhooks', to=settings.OAUTH2_PROVIDER_APPLICATION_MODEL)),
                    ],
                    options={
                        'db_table': 'lms_webhooksubscription',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='WebhookDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('event', models.CharField(max_length=40)),
                        ('payload', models.JSONField()),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('delivered', 'Delivered'), ('failed', 'Failed')], default='pending', max_length=10)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('response_code', models.PositiveSmallIntegerField(null=True)),
                        ('last_error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('delivered_at', models.DateTimeField(null=True)),
                        ('subscription', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='core.webhooksubscription')),
                    ],
                    options={
                        'db_table': 'lms_webhookdelivery',
                        'ordering': ['-created_at'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(hand_over_content_types, hand_back_content_types),
    ]
