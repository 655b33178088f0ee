"""The direct_messages table: one row per message to or from a member, with its delivery state.

A message's state only moves forward (queued → sent → delivered → read); pages of a
conversation come back newest first, as the timeline's do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .database import MAX_PAGE, Cursor, Database, page_limit
from .errors import InvalidRecord
from .records import STORED_STATES, Direction, DirectMessageRecord, DmState

_DM_COLUMNS = "id, circle_id, peer_key, direction, state, ts, body, signed"


def _dm(row: Sequence[Any]) -> DirectMessageRecord:
    return DirectMessageRecord(
        id=row[0],
        circle_id=row[1],
        peer_key=row[2],
        direction=Direction(row[3]),
        state=DmState(row[4]),
        ts=row[5],
        body=row[6],
        signed=row[7],
    )


def add_dm(database: Database, message: DirectMessageRecord) -> bool:
    """Store a direct message; False if its id is known already."""
    if not isinstance(message, DirectMessageRecord):
        raise InvalidRecord(f"expected a DirectMessageRecord, not {type(message).__name__}")
    with database.write() as db:
        cur = db.execute(
            f"INSERT OR IGNORE INTO direct_messages ({_DM_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                message.id,
                message.circle_id,
                message.peer_key,
                message.direction.value,
                message.state.value,
                message.ts,
                message.body,
                message.signed,
            ),
        )
        return bool(cur.rowcount == 1)


def get_dm(database: Database, message_id: bytes) -> DirectMessageRecord | None:
    row = database.one(f"SELECT {_DM_COLUMNS} FROM direct_messages WHERE id = ?", (message_id,))
    return None if row is None else _dm(row)


def set_dm_state(database: Database, message_id: bytes, state: DmState) -> bool:
    """Move a message forward (queued → sent → delivered → read); never backward.

    Returns True if the state changed.
    """
    if state not in STORED_STATES:
        raise InvalidRecord("state must be a stored DmState (not failed)")
    earlier = [s.value for s in STORED_STATES if s.rank < state.rank]
    if not earlier:
        return False
    marks = ",".join("?" * len(earlier))
    with database.write() as db:
        cur = db.execute(
            f"UPDATE direct_messages SET state = ? WHERE id = ? AND state IN ({marks})",
            (state.value, message_id, *earlier),
        )
        return bool(cur.rowcount)


def dm_conversation(
    database: Database,
    circle_id: bytes,
    peer_key: bytes,
    limit: int = 50,
    before: Cursor | None = None,
) -> list[DirectMessageRecord]:
    """A page of the conversation with one member, newest first (paging as newest_posts)."""
    sql = f"SELECT {_DM_COLUMNS} FROM direct_messages WHERE circle_id = ? AND peer_key = ?"
    params: list[Any] = [circle_id, peer_key]
    if before is not None:
        sql += " AND (ts, id) < (?, ?)"
        params += [before[0], before[1]]
    sql += " ORDER BY ts DESC, id DESC LIMIT ?"
    params.append(page_limit(limit))
    return [_dm(r) for r in database.read(sql, params)]


def dm_peers(database: Database, circle_id: bytes) -> list[tuple[bytes, int]]:
    """Members we have a conversation with, and the time of its latest message, latest first."""
    rows = database.read(
        "SELECT peer_key, max(ts) AS last FROM direct_messages WHERE circle_id = ?"
        " GROUP BY peer_key ORDER BY last DESC",
        (circle_id,),
    )
    return [(bytes(r[0]), int(r[1])) for r in rows]


def dm_ids(database: Database, circle_id: bytes) -> set[bytes]:
    """The ids of the circle's stored direct messages."""
    rows = database.read("SELECT id FROM direct_messages WHERE circle_id = ?", (circle_id,))
    return {bytes(r[0]) for r in rows}


def dms_in_state(
    database: Database, circle_id: bytes, state: DmState, limit: int = MAX_PAGE
) -> list[DirectMessageRecord]:
    rows = database.read(
        f"SELECT {_DM_COLUMNS} FROM direct_messages WHERE circle_id = ? AND state = ?"
        " ORDER BY ts, id LIMIT ?",
        (circle_id, state.value, page_limit(limit)),
    )
    return [_dm(r) for r in rows]


def forget_dms_before(database: Database, circle_id: bytes, cutoff_ts: int) -> int:
    """Delete the circle's messages with ``ts < cutoff_ts``, inside a write transaction."""
    return int(
        database.conn()
        .execute(
            "DELETE FROM direct_messages WHERE circle_id = ? AND ts < ?", (circle_id, cutoff_ts)
        )
        .rowcount
    )
