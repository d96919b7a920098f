"""A news page's home: the page under the tree's root it is in, beside its
date in one index, so that a site's newest news are read from its own part
of the index (NewsPage.home_path)."""

from django.conf import settings
from django.db import migrations, models


def fill(apps, schema_editor):
    """One update per page under the root: a site's news at once."""
    pages = apps.get_model("wagtailcore", "Page")
    news = apps.get_model("cms", "NewsPage")
    for home in pages.objects.filter(depth=2).values_list("path", flat=True):
        news.objects.filter(path__startswith=home).update(home_path=home)


class Migration(migrations.Migration):

    dependencies = [
        ('cms', '0004_indexes_for_public_queries'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        ('wagtailimages', '0027_image_description'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='newspage',
            name='home_path',
            field=models.CharField(blank=True, editable=False, max_length=8),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='newspage',
            index=models.Index(fields=['home_path', '-date', '-page_ptr'], name='cms_news_home_date'),
        ),
    ]
