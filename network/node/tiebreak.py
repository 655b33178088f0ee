"""Which of two simultaneous connections between the same pair survives (both sides agree)."""

from __future__ import annotations


def keep_outgoing(my_static: bytes, their_static: bytes) -> bool:
    """True when the connection *I* dialed is the one to keep.

    The connection dialed by the side with the smaller Noise static public key survives; each side
    evaluates this with the roles swapped and reaches the same answer.
    """
    if my_static == their_static:
        raise ValueError("a peer cannot share our static key")
    return my_static < their_static
