"""The database's tables, as numbered migrations (sqlite-utils records which have run)."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("coach")


@migrations()
def m001_create_tables(db: sqlite_utils.Database) -> None:
    db.table("people").create(
        {"id": str, "created_at": str, "updated_at": str, "settings": str}, pk="id"
    )
    db.table("sessions").create(
        {"id": str, "person_id": str, "flow_id": str, "flow_hash": str, "status": str,
         "state": str, "started_at": str, "updated_at": str, "finished_at": str},
        pk="id", foreign_keys=[("person_id", "people", "id")],
    )
    db.table("sessions").create_index(["person_id", "updated_at"])
    db.table("answers").create(
        {"id": int, "session_id": str, "person_id": str, "node_id": str, "question_id": str,
         "hidden": int, "created_at": str, "updated_at": str},
        pk="id", foreign_keys=[("session_id", "sessions", "id")],
    )
    db.table("answers").create_index(["session_id", "node_id"], unique=True)
    db.table("answers").create_index(["person_id"])
    db.table("answer_versions").create(
        {"id": int, "answer_id": int, "version": int, "value": str, "text": str, "display": str,
         "asked": str, "skipped": int, "answered_at": str},
        pk="id", foreign_keys=[("answer_id", "answers", "id")],
    )
    db.table("answer_versions").create_index(["answer_id", "version"], unique=True)
    db.table("processed").create({"person_id": str, "key": str, "at": str}, pk=("person_id", "key"))
