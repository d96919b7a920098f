import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cms', '0001_initial'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        # Renamed, not re-created: the pages of a site made before keep their rows.
        migrations.RenameModel(old_name='HomePage', new_name='ProjectHomePage'),
        migrations.AlterModelOptions(
            name='projecthomepage',
            options={'verbose_name': 'project home page'},
        ),
        migrations.AlterField(
            model_name='projecthomepage',
            name='page_ptr',
            field=models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, related_name='%(app_label)s_%(class)s', serialize=False, to=settings.WAGTAIL_PAGE_MODEL),
        ),
        migrations.AlterField(
            model_name='newsindexpage',
            name='page_ptr',
            field=models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, related_name='%(app_label)s_%(class)s', serialize=False, to=settings.WAGTAIL_PAGE_MODEL),
        ),
        migrations.AlterField(
            model_name='newspage',
            name='page_ptr',
            field=models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, related_name='%(app_label)s_%(class)s', serialize=False, to=settings.WAGTAIL_PAGE_MODEL),
        ),
        migrations.AlterField(
            model_name='standardpage',
            name='page_ptr',
            field=models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, related_name='%(app_label)s_%(class)s', serialize=False, to=settings.WAGTAIL_PAGE_MODEL),
        ),
        migrations.AlterField(
            model_name='workpackageindexpage',
            name='page_ptr',
            field=models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, related_name='%(app_label)s_%(class)s', serialize=False, to=settings.WAGTAIL_PAGE_MODEL),
        ),
        migrations.AlterField(
            model_name='workpackagepage',
            name='page_ptr',
            field=models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, related_name='%(app_label)s_%(class)s', serialize=False, to=settings.WAGTAIL_PAGE_MODEL),
        ),
    ]
