"""What a circle keeps besides its model: the host's signed details, the roster, the pins,
its moderation state and my personal settings in it.

Kept as profile settings (inside the encrypted database), keyed by the circle's id: loaded
when a circle's session is made, saved as writes its protocol queues (:mod:`.outputs`). The
moderation state holds old circle secrets (kept for members who were away during a rotation):
it lives in the encrypted database only.
"""

from __future__ import annotations

import logging

from .circle import Circle
from .circle_info import CircleInfoError, verify_info
from .identity import Membership
from .moderation import CircleModeration, EngineLimits, ModerationError, PersonalSettings
from .outputs import Outputs
from .pinning import KeyPins
from .roster import Roster, RosterError
from .runtime import CircleRuntime
from .storage import AsyncStore, Store

log = logging.getLogger(__name__)

PINS = "pins"


def _key(kind: str, circle_id: bytes) -> str:
    return f"{kind}:{circle_id.hex()}"


def _set(out: Outputs, key: str, value: object) -> None:
    """Queue a setting's write (``value`` as it is now)."""

    def work(db: Store) -> None:
        db.set_setting(key, value)

    out.write(work)


async def load_extras(store: AsyncStore, rt: CircleRuntime) -> None:
    info = await store.get_setting(_key("info", rt.id))
    if isinstance(info, bytes):
        try:
            verified = verify_info(info, rt.circle)
        except CircleInfoError as exc:
            log.info("ignoring stored circle details: %s", exc.code)
        else:
            rt.info, rt.info_revision = info, verified.revision
    accepted = await store.get_setting(_key("rules_ok", rt.id), 0)
    rt.rules_accepted_revision = accepted if isinstance(accepted, int) else 0
    roster = await store.get_setting(_key("roster", rt.id))
    if isinstance(roster, bytes):
        try:
            for entry in rt.roster.decode(roster):
                if entry.member_key != rt.membership.member_key:
                    rt.roster.add(entry)
        except RosterError as exc:
            log.info("ignoring the stored roster: %s", exc.code)


def save_info(out: Outputs, rt: CircleRuntime) -> None:
    if rt.info is not None:
        _set(out, _key("info", rt.id), rt.info)


def save_rules_accepted(out: Outputs, rt: CircleRuntime) -> None:
    _set(out, _key("rules_ok", rt.id), rt.rules_accepted_revision)


def save_roster(out: Outputs, rt: CircleRuntime) -> None:
    _set(out, _key("roster", rt.id), Roster.encode(rt.roster.entries()))


async def forget(store: AsyncStore, circle_id: bytes) -> None:
    for kind in ("info", "rules_ok", "roster", "moderation", "personal"):
        await store.delete_setting(_key(kind, circle_id))


async def load_moderation(
    store: AsyncStore,
    circle: Circle,
    membership: Membership,
    limits: EngineLimits | None = None,
) -> tuple[CircleModeration, PersonalSettings]:
    """The circle's moderation engine and my personal settings in it, as saved (new ones for a
    new circle; a damaged record is logged and started afresh rather than stopping the app)."""
    mod: CircleModeration | None = None
    stored = await store.get_setting(_key("moderation", circle.circle_id))
    if stored is not None:
        try:
            mod = CircleModeration.from_dict(stored, circle, membership, limits=limits)
        except (ModerationError, ValueError) as exc:
            log.info("starting the circle's moderation afresh: %s", exc)
    if mod is None:
        mod = CircleModeration(circle, membership, limits=limits)
    personal = PersonalSettings()
    raw = await store.get_setting(_key("personal", circle.circle_id))
    if raw is not None:
        try:
            personal = PersonalSettings.from_dict(raw)
        except ModerationError as exc:
            log.info("ignoring stored personal settings: %s", exc)
    return mod, personal


def save_moderation(out: Outputs, rt: CircleRuntime) -> None:
    _set(out, _key("moderation", rt.id), rt.mod.to_dict())


def save_personal(out: Outputs, rt: CircleRuntime) -> None:
    _set(out, _key("personal", rt.id), rt.personal.to_dict())


async def load_pins(store: AsyncStore) -> KeyPins:
    value = await store.get_setting(PINS)
    if isinstance(value, dict):
        try:
            return KeyPins.from_dict(value)
        except Exception as exc:  # a damaged pin table must not stop the app
            log.info("starting with no pins: %s", type(exc).__name__)
    return KeyPins()


def save_pins(out: Outputs, pins: KeyPins) -> None:
    _set(out, PINS, pins.to_dict())
