"""Acts on posts that the front ends call, as ``Messenger.acts``: react (a small fixed set, each
member once per reaction; again to take it back), delete my own post for everyone (a signed
retraction), and search a circle's posts. What acts do when they arrive is :mod:`.acts`.
"""

from __future__ import annotations

from collections.abc import Callable

from . import acts
from .acts import Settled
from .conversation.envelope import REACT, RETRACT, sign_act
from .conversation.records import post_from_record
from .errors import HearthError
from .pump import SessionPump
from .storage import Store
from .views import REACTION_LABELS, PostView, ReactionView

MAX_RESULTS = 200


class ActRefused(HearthError):
    """A reaction or a deletion this person may not make (someone else's post, an anonymous
    one, an unknown reaction, a post that is not here)."""

    code = "not_allowed"


async def decorate_page(pump: SessionPump, views: list[PostView]) -> list[PostView]:
    """A page of posts (history, search results) with their quotes and reactions."""
    if not views:
        return views
    rt = pump.session.rt
    ids = [v.id for v in views]
    replies = [v.reply_to for v in views if v.reply_to is not None]
    member = acts.members_of(rt)

    def call(db: Store) -> Settled:
        return Settled(
            [],
            quoted=acts.quoted(db, rt.id, replies),
            reactions=acts.reactions_on(db, rt.id, ids, rt.membership.member_key, member),
        )

    settled = await pump.store.run(call)
    return [acts.decorate(rt, v, settled) for v in views]


# -- what the front ends call ------------------------------------------------------------------
class Acts:
    """``Messenger.acts``: react, delete my post for everyone, search."""

    def __init__(self, pump_of: Callable[[bytes], SessionPump], now_ms: Callable[[], int]) -> None:
        self._pump_of = pump_of
        self._now_ms = now_ms

    async def react(
        self, circle_id: bytes, post_id: bytes, reaction: str
    ) -> tuple[ReactionView, ...]:
        """Give ``reaction`` (a key of ``REACTION_LABELS``) to a post, or take mine back if I
        gave it already. Returns the post's reactions as they are now."""
        if reaction not in REACTION_LABELS:
            raise ActRefused(f"unknown reaction {reaction!r}: one of {', '.join(REACTION_LABELS)}")
        pump = self._usable(circle_id)
        me = pump.session.rt.membership.member_key

        def choose(db: Store) -> tuple[str, bytes]:
            target = db.get_post(post_id)
            if target is None or target.circle_id != circle_id or target.kind:
                raise ActRefused("that post is not here")
            for act in db.acts_on(circle_id, [post_id]):
                if act.kind == REACT and act.author_key == me and act.body == reaction:
                    return RETRACT, act.id  # given already: take it back
            return REACT, post_id

        kind, target = await pump.store.run(choose)
        settled = await self._publish(pump, kind, target, reaction)
        return settled.reactions.get(post_id, ())

    async def retract(self, circle_id: bytes, post_id: bytes) -> None:
        """Delete my own post for everyone (its text leaves every member's device)."""
        pump = self._usable(circle_id)
        me = pump.session.rt.membership.member_key

        def check(db: Store) -> None:
            target = db.get_post(post_id)
            if target is None or target.circle_id != circle_id or target.kind:
                raise ActRefused("that post is not here (deleted already?)")
            why = acts.refusal(target, me)
            if "anonymous" in why:
                raise ActRefused(why + ": ask a moderator to hide it")
            if why:
                raise ActRefused("you can only delete your own posts")

        await pump.store.run(check)
        await self._publish(pump, RETRACT, post_id)

    async def search(self, circle_id: bytes, text: str, limit: int = 50) -> list[PostView]:
        """Posts of the circle whose words match ``text`` (any text is safe), newest first;
        hidden ones (a moderator's hide, my blocks) are left out."""
        pump = self._pump_of(circle_id)
        records = await pump.store.search(circle_id, text, min(limit, MAX_RESULTS))
        views = [pump.session.post_view(post_from_record(r), hidden=r.hidden) for r in records]
        return await decorate_page(pump, [v for v in views if not v.hidden])

    def _usable(self, circle_id: bytes) -> SessionPump:
        pump = self._pump_of(circle_id)
        if pump.session.rt.removed_me:
            raise ActRefused("you were removed from this circle")
        return pump

    async def _publish(
        self, pump: SessionPump, kind: str, target: bytes, reaction: str = ""
    ) -> Settled:
        session = pump.session
        rt, now = session.rt, self._now_ms()
        key, circle_id, me = rt.membership.signing_key, rt.id, rt.membership.member_key

        signed = sign_act(key, circle_id, rt.engine.next_seq(), kind, target, now, reaction)

        def then(db: Store) -> Settled:
            settled = Settled([])
            acts.apply(db, circle_id, me, [signed], settled, acts.members_of(rt))
            return settled

        found: list[Settled] = []

        def done(settled: Settled) -> None:
            acts.announce(session.emit, session.id, settled)
            found.append(settled)

        session.publish(signed, now, then, done)  # stored, then sent
        await pump.drain()
        return found[0] if found else Settled([])
