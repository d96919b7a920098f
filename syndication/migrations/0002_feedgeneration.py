from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("projectsite_feeds", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="FeedGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.CharField(max_length=64)),
                ("changed_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "feed generation",
            },
        ),
    ]
