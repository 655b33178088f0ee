"""What can be wrong with an anonymous signature, in words a front end can show."""

from __future__ import annotations

from enum import Enum

from ..errors import HearthError


class RingProblem(Enum):
    MALFORMED = "malformed"
    BAD_RING = "bad_ring"
    BAD_KEY = "bad_key"
    NOT_IN_RING = "not_in_ring"
    BAD_SIGNATURE = "bad_signature"
    NOT_MEMBERS = "not_members"
    STALE_WINDOW = "stale_window"


_WORDS = {
    RingProblem.MALFORMED: "the anonymous signature is malformed",
    RingProblem.BAD_RING: "the anonymous signature names an unusable group of members",
    RingProblem.BAD_KEY: "the signing key is unusable",
    RingProblem.NOT_IN_RING: "you can only sign anonymously as a member of the group",
    RingProblem.BAD_SIGNATURE: "the anonymous signature does not verify (forged or altered)",
    RingProblem.NOT_MEMBERS: "the anonymous signature names people who are not members",
    RingProblem.STALE_WINDOW: "the anonymous signature is for another time window",
}


class RingSignatureError(HearthError):
    """A ring signature that cannot be made or cannot be trusted."""

    code = "bad_anonymous_signature"

    def __init__(self, problem: RingProblem, detail: str = "") -> None:
        super().__init__(_WORDS[problem] + (f": {detail}" if detail else ""))
        self.problem = problem
