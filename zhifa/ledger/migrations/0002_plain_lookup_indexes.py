"""Replace ``db_index=True`` on ``kind`` and ``leaf_hash`` with plain named B-tree indexes.

On PostgreSQL ``db_index=True`` on a CharField also builds a ``varchar_pattern_ops`` index for
LIKE queries the ledger never makes, and every append pays for both. The database side drops the
old indexes by introspection and adds the named ones, instead of ``AlterField``, which on SQLite
would copy the whole append-only table twice to change an index.
"""

from django.db import migrations, models

NEW_INDEXES = {
    "kind": models.Index(fields=["kind"], name="ledger_leaf_kind"),
    "leaf_hash": models.Index(fields=["leaf_hash"], name="ledger_leaf_hash"),
}


def replace_indexes(apps, schema_editor):
    leaf = apps.get_model("ledger", "LedgerLeaf")
    table = leaf._meta.db_table
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    for column, index in NEW_INDEXES.items():
        for name, info in constraints.items():
            if info["index"] and not info["unique"] and info["columns"] == [column] and name != index.name:
                schema_editor.execute(schema_editor._delete_index_sql(leaf, name))
        if index.name not in constraints:
            schema_editor.add_index(leaf, index)


def restore_indexes(apps, schema_editor):
    leaf = apps.get_model("ledger", "LedgerLeaf")  # the state before: db_index=True on both fields
    for column, index in NEW_INDEXES.items():
        schema_editor.remove_index(leaf, index)
        for statement in schema_editor._field_indexes_sql(leaf, leaf._meta.get_field(column)):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(replace_indexes, restore_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="ledgerleaf",
                    name="kind",
                    field=models.CharField(max_length=40, verbose_name="类型"),
                ),
                migrations.AlterField(
                    model_name="ledgerleaf",
                    name="leaf_hash",
                    field=models.CharField(max_length=64, verbose_name="叶子哈希"),
                ),
                *(
                    migrations.AddIndex(model_name="ledgerleaf", index=index)
                    for index in NEW_INDEXES.values()
                ),
            ],
        ),
    ]
