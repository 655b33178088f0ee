"""Length framing for the join protocol over a byte stream: 2-byte big-endian length + body.

The same framing as the rest of Hearth's wire, with a smaller limit: a join message is small,
so anything announcing more than :data:`MAX_FRAME` bytes is refused before it is buffered.
"""

from __future__ import annotations

from .errors import FrameError

HEADER_SIZE = 2
MAX_FRAME = 2048


def frame(message: bytes) -> bytes:
    if len(message) > MAX_FRAME:
        raise FrameError(f"a join message of {len(message)} bytes is over {MAX_FRAME}")
    return len(message).to_bytes(HEADER_SIZE, "big") + message


class FrameDecoder:
    """Feed bytes as they arrive; get whole messages back."""

    def __init__(self, max_frame: int = MAX_FRAME) -> None:
        self._buffer = bytearray()
        self._max = max_frame

    def feed(self, data: bytes) -> list[bytes]:
        """The complete messages in ``data`` plus what was buffered; raises :class:`FrameError`."""
        self._buffer += data
        messages: list[bytes] = []
        while len(self._buffer) >= HEADER_SIZE:
            size = int.from_bytes(self._buffer[:HEADER_SIZE], "big")
            if size > self._max:
                self._buffer.clear()
                raise FrameError(f"a frame announces {size} bytes, over the limit of {self._max}")
            if len(self._buffer) < HEADER_SIZE + size:
                break
            messages.append(bytes(self._buffer[HEADER_SIZE : HEADER_SIZE + size]))
            del self._buffer[: HEADER_SIZE + size]
        return messages

    @property
    def buffered(self) -> int:
        return len(self._buffer)
