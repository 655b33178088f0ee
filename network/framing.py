"""2-byte big-endian length framing for Noise messages (sans-IO).

A frame is ``length (2 bytes, big-endian) + body``; ``1 <= length <= max_frame <= 65535``.
:class:`FrameDecoder` is fed arbitrary chunks and returns whole frames; it checks each length as
soon as its two bytes arrive, before waiting for (or buffering) the body.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import NetworkError

HEADER_SIZE = 2
MAX_FRAME = 65535


class FramingError(NetworkError):
    """The byte stream does not hold valid frames."""


class FrameTooLarge(FramingError):
    """A frame's length is over the limit."""


class EmptyFrame(FramingError):
    """A frame of length zero (a Noise message is never empty)."""


class TruncatedFrame(FramingError):
    """The stream ended in the middle of a frame."""


def encode_frame(body: bytes, max_frame: int = MAX_FRAME) -> bytes:
    size = len(body)
    if size > max_frame:
        raise FrameTooLarge(f"frame of {size} bytes is over the {max_frame}-byte limit")
    if size == 0:
        raise EmptyFrame("refusing to send an empty frame")
    return size.to_bytes(2, "big") + body


def encode_frames(bodies: Iterable[bytes], max_frame: int = MAX_FRAME) -> bytes:
    return b"".join(encode_frame(body, max_frame) for body in bodies)


class FrameDecoder:
    """Turns a byte stream, fed in chunks of any size, into frame bodies.

    After an error the decoder stays failed: every later :meth:`feed` raises the same error.
    """

    __slots__ = ("_buf", "_error", "max_frame")

    def __init__(self, max_frame: int = MAX_FRAME) -> None:
        if not 1 <= max_frame <= MAX_FRAME:
            raise ValueError(f"max_frame must be within 1..{MAX_FRAME}")
        self.max_frame = max_frame
        self._buf = bytearray()
        self._error: FramingError | None = None

    @property
    def buffered(self) -> int:
        """Bytes held for a frame not yet complete (never more than ``2 + max_frame``)."""
        return len(self._buf)

    def feed(
        self, data: bytes | bytearray | memoryview, *, copy: bool = True
    ) -> list[bytes | memoryview]:
        """The frames completed by ``data``, in order.

        With ``copy=False`` frames lying whole inside ``data`` come back as memoryviews of it
        (no copy): use them before ``data`` changes. Frames that spanned feeds are always
        ``bytes``.
        """
        if self._error is not None:
            raise self._error
        buffered = bool(self._buf)
        if buffered:
            self._buf += data
        view = memoryview(self._buf if buffered else data)
        frames: list[bytes | memoryview] = []
        pos = 0
        end = len(view)
        limit = self.max_frame
        try:
            while end - pos >= HEADER_SIZE:
                size = (view[pos] << 8) | view[pos + 1]
                if size == 0 or size > limit:
                    self._error = (
                        EmptyFrame("received a frame of length zero")
                        if size == 0
                        else FrameTooLarge(
                            f"received a frame of {size} bytes, over the {limit}-byte limit"
                        )
                    )
                    self._buf = bytearray()
                    raise self._error
                stop = pos + HEADER_SIZE + size
                if stop > end:
                    break
                if copy or buffered:
                    frames.append(bytes(view[pos + HEADER_SIZE : stop]))
                else:
                    frames.append(view[pos + HEADER_SIZE : stop])
                pos = stop
            if not buffered and pos < end:
                self._buf += view[pos:]
        finally:
            if copy or buffered:
                view.release()
        if buffered and pos:
            del self._buf[:pos]
        return frames

    def eof(self) -> None:
        """The stream ended: raise :class:`TruncatedFrame` if part of a frame is buffered."""
        if self._error is None and self._buf:
            self._error = TruncatedFrame(f"stream ended inside a frame ({len(self._buf)} bytes)")
        if self._error is not None:
            raise self._error
