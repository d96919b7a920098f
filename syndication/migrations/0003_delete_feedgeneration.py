from django.db import migrations


class Migration(migrations.Migration):
    """The feeds' generation lives in Django's cache now (see syndication.cache)."""

    dependencies = [
        ("projectsite_feeds", "0002_feedgeneration"),
    ]

    operations = [
        migrations.DeleteModel(name="FeedGeneration"),
    ]
