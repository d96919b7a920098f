"""Moving an app to a new label without losing its tables.

Our feeds and importer apps were once labelled ``syndication`` and
``importers``, which clash with ``django.contrib.syndication`` and with host
projects' own apps. Their first migration under the new label declares the
models to the migration state only, then runs :func:`adopt_tables`: on a
database made under the former label it renames the tables and moves the
content types (so permissions and log entries keep pointing at them); on a
fresh database it creates the tables. Django has no public way to forget
the former label's applied migrations, so their rows are deleted through
``MigrationRecorder`` (which Django uses itself).
"""

from django.db.migrations.recorder import MigrationRecorder

from cms.compat.reliance import Reliance

RELIES_ON = Reliance(
    check_id="cms.W011",
    names=("django.db.migrations.recorder.MigrationRecorder",),
    fingerprint="99f816842c289e1f",
    recheck="that MigrationRecorder(connection).migration_qs still holds one row per "
    "applied migration with its app label, as adopt_tables in cms.compat.relabel deletes.",
    risk="A database made under the former labels could keep their migration records.",
)


def adopt_tables(app_label, former_label):
    """``RunPython`` functions giving ``app_label`` the tables of ``former_label``
    (forwards), and dropping them (backwards)."""

    def forwards(apps, schema_editor):
        connection = schema_editor.connection
        existing = set(connection.introspection.table_names())
        for model in apps.get_app_config(app_label).get_models():
            table = model._meta.db_table
            former_table = f"{former_label}_{model._meta.model_name}"
            if table in existing:
                continue
            if former_table in existing:
                schema_editor.alter_db_table(model, former_table, table)
            else:
                schema_editor.create_model(model)
        content_types = apps.get_model("contenttypes", "ContentType")
        taken = content_types.objects.filter(app_label=app_label).values_list("model", flat=True)
        content_types.objects.filter(app_label=former_label).exclude(
            model__in=list(taken)
        ).update(app_label=app_label)
        MigrationRecorder(connection).migration_qs.filter(app=former_label).delete()

    def backwards(apps, schema_editor):
        for model in apps.get_app_config(app_label).get_models():
            schema_editor.delete_model(model)

    return forwards, backwards
