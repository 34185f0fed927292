# No-shows and cancellations carry no CPT codes and no time flag (confide/sessions/cpt.py, NOT_HELD). Codes are
# derived, so rows saved before that rule are brought in line here rather than left for the next edit to fix.

from django.db import migrations


def clear_codes_of_sessions_not_held(apps, schema_editor):
    TherapySession = apps.get_model("therapy_sessions", "TherapySession")
    TherapySession.objects.using(schema_editor.connection.alias).filter(
        status__in=["no_show", "cancelled"]
    ).update(cpt_codes=[], cpt_flag="")


class Migration(migrations.Migration):
    dependencies = [
        ("therapy_sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(clear_codes_of_sessions_not_held, migrations.RunPython.noop),
    ]
