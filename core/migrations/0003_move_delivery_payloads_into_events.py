# Each existing delivery becomes an event of its own whose id is the delivery's id: that id
# was the event id its receiver saw (X-Tangkas-Delivery), so a retry after the upgrade still
# carries it. New events are numbered after the highest of them.

from django.db import migrations

FORWARD = """
INSERT INTO core_event (id, type, data, occurred_at, transaction_id)
SELECT id, event, COALESCE(payload -> 'data', '{}'::jsonb),
       COALESCE((payload ->> 'occurred_at')::timestamptz, created_at),
       pg_current_xact_id()::text::bigint
  FROM lms_webhookdelivery;
UPDATE lms_webhookdelivery
   SET event_ref_id = id,
       next_attempt_at = CASE WHEN status = 'pending' THEN created_at END;
SELECT setval(pg_get_serial_sequence('core_event', 'id'),
              GREATEST((SELECT max(id) FROM core_event), 1),
              (SELECT max(id) FROM core_event) IS NOT NULL);
"""

BACKWARD = """
UPDATE lms_webhookdelivery AS d
   SET event = e.type,
       payload = jsonb_build_object('event', e.type, 'occurred_at', e.occurred_at, 'data', e.data)
  FROM core_event AS e
 WHERE e.id = d.event_ref_id;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_event_and_delivery_log"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
