"""The portal's full-text index over ``PortalEntry.search_text`` (bigram tokens, see
``zhifa.publicity.search``).

SQLite: a contentless FTS5 table whose rowid is minus the *sort key* ``days(decided_on) << 40 |
publication_id``, so the index itself yields matches newest decision first (ascending rowids,
which FTS5 reads fastest) and a date range is a rowid range; besides the text it indexes facet tokens (U+E000 + all / a<agency> / c<category> /
f<field>; U+E000 never occurs in a text token) so that filters are index intersections. Triggers
keep it in sync with every insert, update and delete of an entry.

PostgreSQL: a stored generated ``tsvector`` column over the same tokens with a GIN index; filters
use the table's b-tree indexes. Other databases: nothing (search falls back to LIKE).

Existing entries get their ``search_text`` recomputed first.
"""

from django.db import migrations

KEY = "(-((CAST(julianday({r}.decided_on) - 2440587.5 AS INTEGER) << 40) | {r}.publication_id))"
DOC = (
    "{r}.search_text || ' ' || char(57344) || 'all ' || char(57344) || 'a' || {r}.agency_id"
    " || ' ' || char(57344) || 'c' || replace({r}.category, '_', '')"
    " || ' ' || char(57344) || 'f' || ifnull({r}.field_id, 0)"
)
FTS = "publicity_portalentry_fts"
INSERT = f"INSERT INTO {FTS}(rowid, search_text) VALUES ({KEY.format(r='new')}, {DOC.format(r='new')});"
DELETE = f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', {KEY.format(r='old')}, {DOC.format(r='old')});"
WATCHED = ("search_text", "decided_on", "publication_id", "agency_id", "category", "field_id")
CHANGED = " OR ".join(f"old.{c} IS NOT new.{c}" for c in WATCHED)

SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_text, content='', tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON publicity_portalentry BEGIN {INSERT} END",
    f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON publicity_portalentry BEGIN {DELETE} END",
    f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF {', '.join(WATCHED)} ON publicity_portalentry "
    f"WHEN {CHANGED} BEGIN {DELETE} {INSERT} END",
    f"INSERT INTO {FTS}(rowid, search_text) SELECT {KEY.format(r='e')}, {DOC.format(r='e')} "
    "FROM publicity_portalentry e",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS publicity_portalentry_fts_au",
    "DROP TRIGGER IF EXISTS publicity_portalentry_fts_ad",
    "DROP TRIGGER IF EXISTS publicity_portalentry_fts_ai",
    "DROP TABLE IF EXISTS publicity_portalentry_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE publicity_portalentry ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED",
    "CREATE INDEX portal_entry_search_gin ON publicity_portalentry USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS portal_entry_search_gin",
    "ALTER TABLE publicity_portalentry DROP COLUMN IF EXISTS search_vector",
]


def _run(schema_editor, by_vendor):
    for sql in by_vendor.get(schema_editor.connection.vendor, ()):
        schema_editor.execute(sql)


def retokenize(apps, schema_editor):
    from zhifa.publicity.search import document_text

    PortalEntry = apps.get_model("publicity", "PortalEntry")
    for entry in PortalEntry.objects.only("publication_id", "category", "fields").iterator(chunk_size=2000):
        PortalEntry.objects.filter(pk=entry.pk).update(
            search_text=document_text(entry.fields, entry.category)
        )


def forwards(apps, schema_editor):
    retokenize(apps, schema_editor)
    _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD})


def backwards(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [("publicity", "0001_publications")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
