"""The statements of the engine's hot path, composed once per process.

``perform`` runs the same few statements for every action: read and lock the case, update it,
insert the event, insert the deadlines it opens. Through the ORM, composing each statement (query
cloning, expression resolution, SQL compilation) costs more client time than the database spends
running it — most of an action's time (bench/cases_bench.py). Here each statement's SQL is built
once (by the ORM itself, or from the model's fields exactly as ``Model.save`` would write them)
and then only executed: same SQL, same parameter conversion (``Field.pre_save`` and
``get_db_prep_save``), same transaction.

Model signals are kept: when a ``pre_save``/``post_save`` receiver is connected for the model,
:func:`insert` and :func:`update` use ``Model.save`` instead. (The cases models have none: the
engine's own ``action_performed`` signal is what other apps listen to.)
"""

from __future__ import annotations

import functools

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Model
from django.db.models.fields import NOT_PROVIDED
from django.db.models.signals import post_save, pre_save


def _signalled(model) -> bool:
    return pre_save.has_listeners(model) or post_save.has_listeners(model)


@functools.cache  # by vendor, not by connection: each thread has its own connection object
def _insert_plan(model, vendor: str, rows: int):
    """(fields, SQL, whether it returns the pks) of a ``rows``-row INSERT of ``model``'s
    concrete fields (not the auto pk), returning the pks where the backend can."""
    meta, db = model._meta, connections[DEFAULT_DB_ALIAS]
    fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field and not f.generated]
    if any(hasattr(f, "get_placeholder") or f.db_default is not NOT_PROVIDED for f in fields):
        return None  # a field the ORM writes with its own SQL: let the ORM do it
    quote = db.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * rows)
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values}"
    returning = db.features.can_return_rows_from_bulk_insert or (
        rows == 1 and db.features.can_return_columns_from_insert
    )
    if returning:
        sql += f" RETURNING {quote(meta.pk.column)}"
    elif rows > 1:
        return None  # the pks of several rows cannot be had: the ORM's bulk_create
    return fields, sql, returning


def insert(obj: Model) -> Model:
    """``obj.save()`` for a new row of a model without save() logic of its own beyond the insert
    (CaseEvent's save() only refuses to update, which a new row never does)."""
    insert_many([obj])
    return obj


def insert_many(objs: list[Model]) -> list[Model]:
    """``bulk_create(objs)`` for new rows of one model, pks set, in one statement."""
    if not objs:
        return objs
    model, db = type(objs[0]), connections[DEFAULT_DB_ALIAS]  # the wrapper itself: no proxy lookups
    plan = None if _signalled(model) else _insert_plan(model, db.vendor, len(objs))
    if plan is None or any(obj.pk is not None for obj in objs):
        if len(objs) == 1:
            objs[0].save(force_insert=True)
            return objs
        return model.objects.bulk_create(objs)
    fields, sql, returning = plan
    params = [field.get_db_prep_save(field.pre_save(obj, True), db) for obj in objs for field in fields]
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            pks = [row[0] for row in cursor.fetchall()]
        else:  # one row without RETURNING (old SQLite): the id the insert was given
            pks = [db.ops.last_insert_id(cursor, model._meta.db_table, model._meta.pk.column)]
    if len(pks) != len(objs):
        raise RuntimeError(f"插入{model._meta.verbose_name}时返回的主键数量不符。")
    for obj, pk in zip(objs, pks, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, db.alias
    return objs


@functools.cache
def _update_sql(model, vendor: str, columns: tuple[str, ...]) -> str:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    return f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"


def update(obj: Model, field_names: list[str]) -> None:
    """``obj.save(update_fields=field_names)`` for a row that exists (an error otherwise, as there)."""
    model, db = type(obj), connections[DEFAULT_DB_ALIAS]
    if _signalled(model) or not field_names:
        obj.save(update_fields=field_names)
        return
    fields = [model._meta.get_field(name) for name in field_names]
    sql = _update_sql(model, db.vendor, tuple(f.column for f in fields))
    params = [field.get_db_prep_save(field.pre_save(obj, False), db) for field in fields]
    with db.cursor() as cursor:
        cursor.execute(sql, [*params, obj.pk])
        if cursor.rowcount != 1:
            raise DatabaseError("Save with update_fields did not affect any rows.")  # as Model.save
