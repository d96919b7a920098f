import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from cms.compat.relabel import adopt_tables


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('wagtailcore', '0098_apitoken'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('wagtailimages', '0027_image_description'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    # The models were first made under the label "importers"; see cms.compat.relabel.
    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.CreateModel(
            name='ImportedImage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('legacy_url', models.CharField(max_length=500, unique=True, verbose_name='legacy URL')),
                ('content_hash', models.CharField(help_text='SHA-1 of the file, as Wagtail keeps it.', max_length=40)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('image', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image')),
            ],
            options={
                'verbose_name': 'imported image',
                'ordering': ['legacy_url'],
            },
        ),
        migrations.CreateModel(
            name='ImportRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('legacy_url', models.CharField(help_text='Canonical URL of the page on the legacy site (under the origin).', max_length=500, unique=True, verbose_name='legacy URL')),
                ('kind', models.CharField(choices=[('news', 'news item'), ('news_index', 'news list'), ('work_package', 'work package'), ('page', 'other page')], max_length=20)),
                ('source_hash', models.CharField(help_text='SHA-256 of the extracted source.', max_length=64)),
                ('written_hash', models.CharField(help_text='SHA-256 of the field values the importer wrote.', max_length=64)),
                ('page_hash', models.CharField(blank=True, default='', help_text='SHA-256 of the fetched page (and extractor) the snapshot was made from.', max_length=64)),
                ('snapshot', models.JSONField(blank=True, default=dict, help_text='What extraction made of that page, so an unchanged page is not parsed again.')),
                ('last_action', models.CharField(choices=[('created', 'Created'), ('updated', 'Updated'), ('unchanged', 'Unchanged'), ('skipped_edited', 'skipped because edited'), ('failed', 'Failed')], max_length=20)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('page', models.ForeignKey(blank=True, help_text='Empty when the page was deleted in Wagtail after the import.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL)),
                ('revision', models.ForeignKey(blank=True, help_text="The revision the importer wrote last; a later one is an editor's.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision')),
            ],
            options={
                'verbose_name': 'import record',
                'ordering': ['legacy_url'],
            },
        ),
        ]),
        migrations.RunPython(*adopt_tables("projectsite_importers", former_label="importers")),
    ]
