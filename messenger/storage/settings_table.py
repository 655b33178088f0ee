"""The settings table: any msgpack-able value under a non-empty text key."""

from __future__ import annotations

import msgpack

from .database import Database
from .errors import InvalidRecord


def get_setting(database: Database, key: str, default: object = None) -> object:
    row = database.one("SELECT value FROM settings WHERE key = ?", (key,))
    if row is None:
        return default
    return msgpack.unpackb(row[0], raw=False, strict_map_key=False)


def set_setting(database: Database, key: str, value: object) -> None:
    if not isinstance(key, str) or not key:
        raise InvalidRecord("a setting needs a non-empty text key")
    try:
        packed = msgpack.packb(value, use_bin_type=True)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidRecord(f"setting {key!r} cannot be stored: {exc}") from None
    with database.write() as db:
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, packed),
        )


def delete_setting(database: Database, key: str) -> bool:
    with database.write() as db:
        return bool(db.execute("DELETE FROM settings WHERE key = ?", (key,)).rowcount)


def settings(database: Database) -> dict[str, object]:
    rows = database.read("SELECT key, value FROM settings ORDER BY key")
    return {k: msgpack.unpackb(v, raw=False, strict_map_key=False) for k, v in rows}
