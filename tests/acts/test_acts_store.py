"""Acts on posts against a real SQLCipher profile: what a received retraction or reaction does.

- A retraction by anyone but the post's author is refused: nothing deleted.
- The author's retraction removes the post's text from the store: the row, the search index's
  blocks, and every page of the database file (decrypted here page by page with the profile's
  key, so free pages count too); a copy of the post that arrives afterwards is deleted on arrival.
- Reactions count once per member and reaction; taking one back (retracting it) removes it.
- An anonymous post cannot be retracted by its author's key.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from nacl.signing import SigningKey

from messenger import acts
from messenger.conversation import PostReceived, SignedPost, sign_post
from messenger.conversation.anon_envelope import make_anonymous_post
from messenger.conversation.envelope import REACT, RETRACT, sign_act
from messenger.conversation.errors import ComposeError
from messenger.conversation.records import post_to_record
from messenger.storage import MINIMUM, Store, create_profile
from messenger.storage.keyfile import unwrap_key
from messenger.storage.profile import db_path, read_key_file

from ..storage.helpers import CIRCLE, PASS, circle

WORD = "xylophonequartz"
NOW = 1_800_000_000_000
PAGE = 4096
RESERVE = 80  # SQLCipher 4: a 16-byte IV and a 64-byte HMAC at the end of every page


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def store(profile: Path) -> Iterator[Store]:
    opened = create_profile(profile, PASS, kdf=MINIMUM)
    opened.save_circle(circle())
    try:
        yield opened
    finally:
        opened.close()


def plaintext_pages(profile: Path) -> bytes:
    """Every page of the database file decrypted with the profile's key (AES-256-CBC, the IV at
    the end of each page, the first 16 bytes of the file the salt)."""
    key = bytes(unwrap_key(read_key_file(profile), PASS))
    data = db_path(profile).read_bytes()
    out = []
    for start in range(0, len(data), PAGE):
        page = data[start : start + PAGE]
        skip = 16 if start == 0 else 0
        iv = page[PAGE - RESERVE : PAGE - RESERVE + 16]
        body = page[skip : PAGE - RESERVE]
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        out.append(decryptor.update(body) + decryptor.finalize())
    return b"".join(out)


def index_bytes(store: Store) -> bytes:
    return b"".join(bytes(r[0]) for r in store._db().execute("SELECT block FROM posts_fts_data"))


def receive(store: Store, me: bytes, *posts: SignedPost) -> acts.Settled:
    """As the engine's step does: store each post, then settle the received events."""
    for post in posts:
        store.add_post(post_to_record(post, NOW))
    events = [PostReceived(post=p, peer=p.author_key) for p in posts]
    return acts.settle(store, CIRCLE, me, events)


def test_only_the_author_retracts_and_the_text_leaves_the_file(store: Store, profile: Path) -> None:
    ada, host, me = SigningKey.generate(), SigningKey.generate(), bytes(32)
    post = sign_post(ada, CIRCLE, 1, f"the {WORD} by the river", NOW)
    settled = receive(store, me, post)
    assert [type(e) for e in settled.shown] == [PostReceived]
    store._db().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert WORD.encode() in plaintext_pages(profile)  # the check can see the text
    assert WORD.encode() in index_bytes(store)

    forged = sign_act(host, CIRCLE, 1, RETRACT, post.id, NOW)
    settled = receive(store, me, forged)
    assert settled.refused == 1 and settled.retracted == [] and settled.shown == []
    assert store.get_post(post.id) is not None
    assert [r.id for r in store.search(CIRCLE, WORD)] == [post.id]

    retraction = sign_act(ada, CIRCLE, 2, RETRACT, post.id, NOW)
    settled = receive(store, me, retraction)
    assert settled.retracted == [post.id] and settled.refused == 0
    assert store.get_post(post.id) is None
    assert store.search(CIRCLE, WORD) == []
    assert store.newest_posts(CIRCLE) == []  # the retraction itself is no timeline entry
    assert WORD.encode() not in index_bytes(store)
    assert WORD.encode() not in plaintext_pages(profile)

    # A member who had not heard forwards the post again: deleted on arrival, never shown.
    settled = receive(store, me, post)
    assert settled.shown == []
    assert store.get_post(post.id) is None
    assert WORD.encode() not in plaintext_pages(profile)
    assert acts.quoted(store, CIRCLE, [post.id]) == {post.id: None}  # a reply shows "deleted"


def test_reactions_count_once_per_member_and_can_be_taken_back(store: Store) -> None:
    ada, host = SigningKey.generate(), SigningKey.generate()
    me = bytes(host.verify_key)
    post = sign_post(ada, CIRCLE, 1, "a hard week", NOW)
    first = sign_act(host, CIRCLE, 1, REACT, post.id, NOW, "hear")
    again = sign_act(host, CIRCLE, 2, REACT, post.id, NOW + 1, "hear")  # a modified client
    thanks = sign_act(host, CIRCLE, 3, REACT, post.id, NOW + 2, "thanks")
    own = sign_act(ada, CIRCLE, 2, REACT, post.id, NOW + 3, "hear")
    settled = receive(store, me, post, first, again, thanks, own)
    assert [e.post.id for e in settled.shown if isinstance(e, PostReceived)] == [post.id]
    counts = {r.name: (r.count, r.mine) for r in settled.reactions[post.id]}
    assert counts == {"hear": (2, True), "thanks": (1, True)}

    # Taking "thanks" back: a retraction of my reaction.
    settled = receive(store, me, sign_act(host, CIRCLE, 4, RETRACT, thanks.id, NOW + 4))
    assert {r.name: r.count for r in settled.reactions[post.id]} == {"hear": 2}
    assert settled.retracted == []  # a reaction taken back is no deleted post


def test_an_anonymous_post_is_not_retracted_by_its_authors_key(store: Store) -> None:
    # An anonymous post carries no key (a ring signature over the roster): a retraction signed
    # by its author's member key would name them, and names nothing the post holds.
    keys = [SigningKey.generate() for _ in range(3)]
    ring = [bytes(k.verify_key) for k in keys]
    post = make_anonymous_post(bytes(keys[0]), ring, CIRCLE, 0, "said without my name", NOW).post
    retraction = sign_act(keys[0], CIRCLE, 1, RETRACT, post.id, NOW)
    settled = receive(store, b"\x01" * 32, post, retraction)
    assert settled.refused == 1 and settled.retracted == []
    assert store.get_post(post.id) is not None


@pytest.mark.parametrize(
    ("kind", "reaction"), [(REACT, "like"), (REACT, ""), ("edit", ""), (RETRACT, "hear")]
)
def test_only_the_fixed_acts_can_be_signed(kind: str, reaction: str) -> None:
    key = SigningKey.generate()
    if kind == RETRACT:  # a retraction's body is fixed: the reaction argument is ignored
        act = sign_act(key, CIRCLE, 1, kind, bytes(32), NOW, reaction)
        assert act.envelope.body == RETRACT
        return
    with pytest.raises(ComposeError):
        sign_act(key, CIRCLE, 1, kind, bytes(32), NOW, reaction)
