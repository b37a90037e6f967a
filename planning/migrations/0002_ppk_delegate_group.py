"""The group whose members approve AKPKs for the PPK (Pejabat Pembina Kepegawaian): it holds
``planning.approve_akpk``. Created here so every installation has it; members are added by
hand in the admin."""

from django.db import migrations

PPK_DELEGATE_GROUP = "Pejabat Pembina Kepegawaian (delegasi)"


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="planning", model="akpkplan")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="approve_akpk",
        defaults={"name": "Can approve an AKPK (delegate of the PPK)"},
    )
    group, _ = Group.objects.get_or_create(name=PPK_DELEGATE_GROUP)
    group.permissions.add(permission)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=PPK_DELEGATE_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
