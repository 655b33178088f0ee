"""Reports: a member tells the moderators about a post or a member; only moderators can read it.

A report is encrypted once with a fresh key (``SecretBox``), and that key is sealed (``SealedBox``)
to each moderator's X25519 key, converted from their Ed25519 member key — so any member can write
to the host and co-moderators knowing only their member keys. What travels (the *sealed report*)::

    v  int    version (1)
    c  bin    circle id (16)
    b  bin    SecretBox(key, inner report)
    k  array  [[moderator member key (32), SealedBox(moderator, key)], ...]

The inner report (the only encoding accepted)::

    v  int    version (1)
    c  bin    circle id (16)
    m  bin    the member reported (32)
    r  str    reason (:class:`ReportReason`)
    d  str    details, at most 2000 bytes of UTF-8 (may be empty)
    e  bin?   evidence: the reported post's exact signed bytes, or nil
    t  int    ms since the epoch (rounded down to the quarter hour when anonymous)
    n  bin    16 random bytes
    s  nil | [reporter key (32), Ed25519 signature over REPORT_DOMAIN + the map without s]

**Anonymous reports** carry ``s = nil``: sealed boxes are made with one-time keys, the outer
envelope names only moderators, the timestamp is coarse, so nothing in the bytes identifies the
reporter, to anyone — moderators included. A signed report lets moderators know who reported.

**Evidence** is checked when opened: a post of this circle, by the reported member, with a good
signature — a reporter cannot make up what someone said.

**Relaying.** The report id is BLAKE2b-256 of the sealed report. It travels only over links to
moderators (:mod:`.report_relay`); a moderator passes it on to the other moderators it is linked to;
an ordinary member who receives one can open nothing and passes nothing on.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import nacl.bindings
import nacl.exceptions
import nacl.public
import nacl.secret

from ..conversation.envelope import MAX_ENVELOPE, SignedPost, coarse_ts, decode_post
from ..conversation.errors import EnvelopeError
from ..identity import Membership
from ..keyschedule import CIRCLE_ID_SIZE
from . import codec
from .actions import KEY_LEN
from .codec import Bad, fail, strict
from .derive import MAX_MODERATORS
from .errors import Reason, ReportError
from .rotation import x25519_public

VERSION = 1
REPORT_DOMAIN = b"hearth/report/v1\x00"
MAX_DETAILS = 2000  # bytes of UTF-8
NONCE_LEN = 16
SIG_LEN = 64
KEY_BOX_LEN = nacl.secret.SecretBox.KEY_SIZE + 48  # a sealed 32-byte key
MAX_INNER = MAX_ENVELOPE + MAX_DETAILS + 512
MAX_REPORT = MAX_INNER + 64 + (MAX_MODERATORS + 1) * (KEY_LEN + KEY_BOX_LEN + 8) + 64
_OUTER = ("v", "c", "b", "k")
_CONTENT = ("v", "c", "m", "r", "d", "e", "t", "n")
_INNER = (*_CONTENT, "s")


class ReportReason(Enum):
    HARASSMENT = "harassment"
    HATE = "hate"
    THREAT = "threat"
    SELF_HARM = "self_harm"  # someone may be at risk
    SPAM = "spam"
    PRIVACY = "privacy"  # shared someone's private information
    OTHER = "other"
    FLOOD = "flood"  # sent automatically when a member's client cut someone off for flooding


@dataclass(frozen=True)
class SealedReport:
    """A report as it travels: who can open it, and its bytes."""

    id: bytes
    circle_id: bytes
    recipients: tuple[bytes, ...]  # moderators' member keys
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class OpenedReport:
    """A report a moderator opened (``reporter`` is ``None`` when anonymous)."""

    id: bytes
    circle_id: bytes
    member: bytes
    reason: ReportReason
    details: str
    evidence: SignedPost | None
    reporter: bytes | None
    ts: int  # ms
    inner: bytes = field(repr=False)  # the exact decrypted report, to store and load again

    @property
    def post_id(self) -> bytes | None:
        return None if self.evidence is None else self.evidence.id

    @property
    def anonymous(self) -> bool:
        return self.reporter is None


def make_report(
    circle_id: bytes,
    member: bytes,
    reason: ReportReason,
    details: str,
    *,
    moderators: Iterable[bytes],
    now: int,
    evidence: SignedPost | None = None,
    reporter: Membership | None = None,
) -> SealedReport:
    """Seal a report about ``member`` to ``moderators``; ``reporter=None`` makes it anonymous.

    Raises :class:`ReportError` for a report that could not be opened (details too long, the
    evidence by someone else, no moderator to send it to).
    """
    to = sorted(set(moderators))
    if not to:
        raise ReportError(Reason.NOT_ADDRESSED, "this circle has no moderator")
    if len(to) > MAX_MODERATORS + 1:
        raise ReportError(Reason.TOO_MANY, "too many moderators")
    if evidence is not None and (evidence.author_key != member or evidence.circle_id != circle_id):
        raise ReportError(Reason.BAD_EVIDENCE, "the post is not the reported member's")
    if reporter is not None and reporter.circle_id != circle_id:
        raise ReportError(Reason.WRONG_CIRCLE)
    content: dict[str, Any] = {
        "v": VERSION,
        "c": circle_id,
        "m": member,
        "r": reason.value,
        "d": details,
        "e": None if evidence is None else evidence.signed,
        "t": coarse_ts(now) if reporter is None else now,
        "n": secrets.token_bytes(NONCE_LEN),
    }
    with strict(ReportError):
        _check_content(content)
    signer = None
    if reporter is not None:
        signer = [reporter.member_key, reporter.sign(REPORT_DOMAIN + codec.pack(content))]
    inner = codec.pack({**content, "s": signer})
    key = secrets.token_bytes(nacl.secret.SecretBox.KEY_SIZE)
    body = bytes(nacl.secret.SecretBox(key).encrypt(inner))
    boxes = []
    for moderator in to:
        try:
            box = nacl.public.SealedBox(x25519_public(moderator))
        except ValueError:
            raise ReportError(Reason.BAD_VALUE, "not a usable moderator key") from None
        boxes.append([moderator, bytes(box.encrypt(key))])
    data = codec.pack({"v": VERSION, "c": circle_id, "b": body, "k": boxes})
    return SealedReport(_report_id(data), circle_id, tuple(to), data)


def _report_id(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


def decode_sealed(data: bytes) -> SealedReport:
    """Check a sealed report's shape (to relay it) without opening it; raises
    :class:`ReportError`."""
    with strict(ReportError):
        raw = codec.unpack(data, MAX_REPORT, Bad)
        if not isinstance(raw, dict):
            fail(Reason.MALFORMED, "report is not a map")
        if type(raw.get("v")) is not int or raw.get("v") != VERSION:
            fail(Reason.UNKNOWN_VERSION, "report version")
        fields = codec.need_map(raw, _OUTER, Bad, "report")
        circle_id = codec.need_bytes(fields["c"], Bad, "circle id", CIRCLE_ID_SIZE)
        codec.need_bytes(fields["b"], Bad, "report body", 40, MAX_INNER + 40)
        boxes = codec.need_list(fields["k"], Bad, "moderators", MAX_MODERATORS + 1)
        keys = []
        for item in boxes:
            pair = codec.need_list(item, Bad, "moderator entry", 2)
            if len(pair) != 2:
                fail(Reason.BAD_FIELDS, "moderator entry")
            keys.append(codec.need_bytes(pair[0], Bad, "moderator key", KEY_LEN))
            codec.need_bytes(pair[1], Bad, "sealed key", KEY_BOX_LEN)
        if not keys or len(set(keys)) != len(keys):
            fail(Reason.BAD_VALUE, "moderators")
    if codec.pack(raw) != data:
        raise ReportError(Reason.NON_CANONICAL, "not the canonical encoding")
    return SealedReport(_report_id(data), circle_id, tuple(keys), data)


def open_report(data: bytes, me: Membership) -> OpenedReport:
    """Open a report sealed to ``me`` (a moderator); raises :class:`ReportError`:
    ``not_addressed`` when there is no copy for ``me``, ``cannot_open``, ``bad_signature``,
    ``bad_evidence``, ``wrong_circle``, or a decoding reason."""
    sealed = decode_sealed(data)
    if sealed.circle_id != me.circle_id:
        raise ReportError(Reason.WRONG_CIRCLE)
    raw = codec.unpack(data, MAX_REPORT, Bad)
    assert isinstance(raw, dict)
    box = next((b for k, b in raw["k"] if k == me.member_key), None)
    if box is None:
        raise ReportError(Reason.NOT_ADDRESSED)
    try:
        key = nacl.public.SealedBox(me.signing_key.to_curve25519_private_key()).decrypt(box)
        inner = bytes(nacl.secret.SecretBox(key).decrypt(raw["b"]))
    except (nacl.exceptions.CryptoError, ValueError, TypeError):
        raise ReportError(Reason.CANNOT_OPEN) from None
    report = decode_inner(inner, sealed.id)
    if report.circle_id != sealed.circle_id:
        raise ReportError(Reason.WRONG_CIRCLE, "inside and outside differ")
    return report


def decode_inner(inner: bytes, report_id: bytes) -> OpenedReport:
    """Check a decrypted report (strict, evidence and reporter signature verified)."""
    with strict(ReportError):
        raw = codec.unpack(inner, MAX_INNER, Bad)
        if not isinstance(raw, dict):
            fail(Reason.MALFORMED, "report is not a map")
        if type(raw.get("v")) is not int or raw.get("v") != VERSION:
            fail(Reason.UNKNOWN_VERSION, "report version")
        fields = codec.need_map(raw, _INNER, Bad, "report")
        reason = _check_content(fields)
        signer = fields["s"]
        if signer is not None:
            pair = codec.need_list(signer, Bad, "reporter", 2)
            if len(pair) != 2:
                fail(Reason.BAD_FIELDS, "reporter")
            reporter = codec.need_bytes(pair[0], Bad, "reporter key", KEY_LEN)
            signature = codec.need_bytes(pair[1], Bad, "reporter signature", SIG_LEN)
    content = {k: fields[k] for k in _CONTENT}
    if codec.pack({**content, "s": signer}) != inner:
        raise ReportError(Reason.NON_CANONICAL, "not the canonical encoding")
    if signer is not None:
        try:
            nacl.bindings.crypto_sign_open(
                signature + REPORT_DOMAIN + codec.pack(content), reporter
            )
        except (nacl.exceptions.CryptoError, ValueError, TypeError):
            raise ReportError(Reason.BAD_SIGNATURE, "the reporter's signature") from None
    evidence = None
    if fields["e"] is not None:
        try:
            evidence = decode_post(fields["e"])
        except EnvelopeError:
            raise ReportError(Reason.BAD_EVIDENCE, "the post does not check out") from None
        if evidence.author_key != fields["m"] or evidence.circle_id != fields["c"]:
            raise ReportError(Reason.BAD_EVIDENCE, "the post is not the reported member's")
    return OpenedReport(
        id=report_id,
        circle_id=fields["c"],
        member=fields["m"],
        reason=reason,
        details=fields["d"],
        evidence=evidence,
        reporter=None if signer is None else reporter,
        ts=fields["t"],
        inner=inner,
    )


def _check_content(fields: dict[str, Any]) -> ReportReason:
    codec.need_bytes(fields["c"], Bad, "circle id", CIRCLE_ID_SIZE)
    codec.need_bytes(fields["m"], Bad, "member key", KEY_LEN)
    reason_code = codec.need_text(fields["r"], Bad, "reason", 32, allow_empty=False)
    try:
        reason = ReportReason(reason_code)
    except ValueError:
        fail(Reason.BAD_VALUE, "unknown reason")
    codec.need_text(fields["d"], Bad, "details", MAX_DETAILS)
    if fields["e"] is not None:
        codec.need_bytes(fields["e"], Bad, "evidence", 1, MAX_ENVELOPE)
    codec.need_int(fields["t"], Bad, "timestamp", 0, 2**53)
    codec.need_bytes(fields["n"], Bad, "nonce", NONCE_LEN)
    return reason
