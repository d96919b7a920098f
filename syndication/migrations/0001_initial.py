import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

from cms.compat.relabel import adopt_tables


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('wagtailcore', '0098_apitoken'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    # The models were first made under the label "syndication"; see cms.compat.relabel.
    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.CreateModel(
            name='FeedSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(blank=True, help_text='Feed title. Left empty, the site name is used.', max_length=255)),
                ('description', models.TextField(blank=True, help_text='Feed description. Left empty, "Latest news from <title>" is used.')),
                ('author', models.CharField(blank=True, help_text='Who publishes the feed. Left empty, the feed title is used.', max_length=255)),
                ('logo_url', models.URLField(blank=True, help_text='Absolute URL of an image readers show next to the feed.', verbose_name='logo URL')),
                ('item_count', models.PositiveSmallIntegerField(default=20, help_text='How many news items each feed document lists; older ones are on further pages.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)], verbose_name='items per feed')),
                ('full_text', models.BooleanField(default=True, help_text='Include the whole news text, not just the summary.', verbose_name='full text')),
                ('websub_hub', models.URLField(blank=True, help_text='A WebSub hub (e.g. https://pubsubhubbub.appspot.com/) that is told when news is published, so subscribers get it at once. Leave empty for none.', verbose_name='WebSub hub')),
                ('site', models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to='wagtailcore.site')),
            ],
            options={
                'verbose_name': 'news feeds',
            },
        ),
        ]),
        migrations.RunPython(*adopt_tables("projectsite_feeds", former_label="syndication")),
    ]
