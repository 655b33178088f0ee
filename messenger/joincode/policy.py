"""An invitation's states and limits, shared by the invitation and the host sessions it creates."""

from __future__ import annotations

from enum import Enum

MAX_FAILURES = 3
DEFAULT_REFUSAL = (
    "The host is not letting new people in just now. Thank you for understanding — "
    "you are welcome to ask them in person."
)


class InvitationState(Enum):
    OPEN = "open"
    BUSY = "busy"  # open, but as many exchanges are in flight as attempts are left
    CLOSED = "closed"  # too many wrong attempts
    EXPIRED = "expired"
    CANCELLED = "cancelled"
