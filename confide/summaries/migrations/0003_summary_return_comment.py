from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("summaries", "0002_summaryaddendum"),
    ]

    operations = [
        migrations.AddField(
            model_name="summary",
            name="return_comment",
            field=models.TextField(blank=True),
        ),
    ]
