"""The circles and memberships tables: the circles this profile joined, and our identity in each.

Both keep their model's msgpack ``record`` opaquely. Forgetting a circle (:func:`delete_circle`)
takes its posts out of the search index too (:func:`.search.forget_posts`); its membership and
direct messages go with it through the schema's cascades.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .database import Database
from .records import CircleRecord, MembershipRecord
from .search import forget_posts

_CIRCLE_COLUMNS = "id, name, joined_at, has_left, record"


def _circle(row: Sequence[Any]) -> CircleRecord:
    return CircleRecord(id=row[0], name=row[1], joined_at=row[2], left=bool(row[3]), record=row[4])


# -- circles ----------------------------------------------------------------------------------
def save_circle(database: Database, circle: CircleRecord) -> None:
    """Insert or replace a circle's row (its posts and messages stay)."""
    with database.write() as db:
        db.execute(
            f"INSERT INTO circles ({_CIRCLE_COLUMNS}) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
            " joined_at = excluded.joined_at, has_left = excluded.has_left,"
            " record = excluded.record",
            (circle.id, circle.name, circle.joined_at, int(circle.left), circle.record),
        )


def get_circle(database: Database, circle_id: bytes) -> CircleRecord | None:
    row = database.one(f"SELECT {_CIRCLE_COLUMNS} FROM circles WHERE id = ?", (circle_id,))
    return None if row is None else _circle(row)


def circles(database: Database, *, include_left: bool = True) -> list[CircleRecord]:
    """Circles in the order they were joined."""
    where = "" if include_left else " WHERE has_left = 0"
    rows = database.read(
        f"SELECT {_CIRCLE_COLUMNS} FROM circles" + where + " ORDER BY joined_at, id"
    )
    return [_circle(r) for r in rows]


def set_circle_left(database: Database, circle_id: bytes, left: bool = True) -> bool:
    with database.write() as db:
        cur = db.execute("UPDATE circles SET has_left = ? WHERE id = ?", (int(left), circle_id))
        return bool(cur.rowcount)


def delete_circle(database: Database, circle_id: bytes) -> bool:
    """Forget a circle and everything in it (membership, posts, messages)."""
    with database.write() as db:
        forget_posts(database, "circle_id = ?", (circle_id,))
        return bool(db.execute("DELETE FROM circles WHERE id = ?", (circle_id,)).rowcount)


# -- memberships (our identity per circle) ----------------------------------------------------
def save_membership(database: Database, membership: MembershipRecord) -> None:
    with database.write() as db:
        db.execute(
            "INSERT INTO memberships (circle_id, record) VALUES (?, ?)"
            " ON CONFLICT (circle_id) DO UPDATE SET record = excluded.record",
            (membership.circle_id, membership.record),
        )


def get_membership(database: Database, circle_id: bytes) -> MembershipRecord | None:
    row = database.one(
        "SELECT circle_id, record FROM memberships WHERE circle_id = ?", (circle_id,)
    )
    return None if row is None else MembershipRecord(row[0], row[1])


def memberships(database: Database) -> list[MembershipRecord]:
    rows = database.read("SELECT circle_id, record FROM memberships ORDER BY circle_id")
    return [MembershipRecord(r[0], r[1]) for r in rows]


def delete_membership(database: Database, circle_id: bytes) -> bool:
    with database.write() as db:
        cur = db.execute("DELETE FROM memberships WHERE circle_id = ?", (circle_id,))
        return bool(cur.rowcount)
