"""Client.search_name: the names folded for search (confide/lib/names.py), filled in for the clients already there."""

from typing import Any

from django.db import migrations, models

from confide.lib.names import search_key


def fill_search_names(apps: Any, schema_editor: Any) -> None:
    Client = apps.get_model("clients", "Client")
    batch = []
    for client in Client.objects.only("pk", "first_name", "last_name", "preferred_name").iterator(chunk_size=500):
        names = " ".join((client.first_name, client.last_name, client.preferred_name or ""))
        client.search_name = search_key(names)[:400]
        batch.append(client)
        if len(batch) >= 500:
            Client.objects.bulk_update(batch, ["search_name"])
            batch = []
    if batch:
        Client.objects.bulk_update(batch, ["search_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0005_discharge_episodes_changes"),
    ]

    operations = [
        migrations.AddField(
            model_name="client",
            name="search_name",
            field=models.CharField(blank=True, editable=False, max_length=400),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
    ]
