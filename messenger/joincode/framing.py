"""Length framing for the join protocol over a byte stream: 2-byte big-endian length + body.

Hearth's one framing (:mod:`network.framing`) with a smaller limit: a join message is small, so
anything announcing more than :data:`MAX_FRAME` bytes is refused before it is buffered. Its
errors come out as the join protocol's :class:`~.errors.FrameError`.
"""

from __future__ import annotations

from network.framing import FrameDecoder as _FrameDecoder
from network.framing import FramingError, encode_frame

from .errors import FrameError

MAX_FRAME = 2048


def frame(message: bytes) -> bytes:
    try:
        return encode_frame(message, MAX_FRAME)
    except FramingError as exc:
        raise FrameError(f"a join message cannot be sent: {exc}") from None


class FrameDecoder:
    """Feed bytes as they arrive; get whole messages back (a :class:`FrameError` once the
    stream is not valid frames, and on every feed after)."""

    def __init__(self, max_frame: int = MAX_FRAME) -> None:
        self._frames = _FrameDecoder(max_frame)

    def feed(self, data: bytes) -> list[bytes]:
        try:
            return [bytes(message) for message in self._frames.feed(data)]
        except FramingError as exc:
            raise FrameError(str(exc)) from None

    @property
    def buffered(self) -> int:
        return self._frames.buffered
