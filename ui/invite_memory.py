"""What the invite dialog showed, kept while it is closed: the open spoken code (until it
expires), a code that three wrong tries closed (until a new one is made), and the newcomers still
waiting. Reopening the dialog shows them again, so closing it never silently drops a code that
is still open, the news that it closed, or a person asking to join."""

from __future__ import annotations

from dataclasses import dataclass, field

from messenger.views import JoinCodeView, JoinRequestView


@dataclass
class InviteMemory:
    codes: dict[bytes, JoinCodeView] = field(default_factory=dict)
    requests: dict[bytes, dict[str, JoinRequestView]] = field(default_factory=dict)
    closed: set[bytes] = field(default_factory=set)
    """Circles whose spoken code three wrong tries closed, and no new code since."""

    def code(self, circle_id: bytes, now: float) -> JoinCodeView | None:
        code = self.codes.get(circle_id)
        if code is not None and code.expires <= now:
            del self.codes[circle_id]
            return None
        return code

    def set_code(self, code: JoinCodeView) -> None:
        self.codes[code.circle_id] = code
        self.closed.discard(code.circle_id)

    def close_code(self, circle_id: bytes) -> None:
        """Three wrong tries closed the circle's code: it is gone, and that is worth saying."""
        self.codes.pop(circle_id, None)
        self.closed.add(circle_id)

    def waiting(self, circle_id: bytes) -> list[JoinRequestView]:
        return list(self.requests.get(circle_id, {}).values())

    def add_request(self, request: JoinRequestView) -> None:
        self.requests.setdefault(request.circle_id, {})[request.request] = request

    def drop_request(self, circle_id: bytes, request_id: str) -> None:
        self.requests.get(circle_id, {}).pop(request_id, None)
