"""Random DNS labels for the service instance and its host name: new every run, never derived.

A label is :data:`LABEL_LENGTH` characters of lowercase base32 (60 random bits), so two peers on
one LAN collide with negligible probability; that is why registration skips mDNS probing.
"""

from __future__ import annotations

import base64
import re
import secrets

from .hints import Rng

SERVICE_TYPE = "_hearth._tcp.local."
LABEL_LENGTH = 12
_LABEL = re.compile(f"[a-z2-7]{{{LABEL_LENGTH}}}")


def random_label(rng: Rng = secrets.token_bytes) -> str:
    """A fresh random label such as ``"k3vq7d2mzs5a"``."""
    raw = rng(LABEL_LENGTH * 5 // 8 + 1)
    return base64.b32encode(raw).decode("ascii").lower()[:LABEL_LENGTH]


def is_label(text: str) -> bool:
    return _LABEL.fullmatch(text) is not None


def instance_name(label: str) -> str:
    """The full service instance name for a label: ``label._hearth._tcp.local.``."""
    return f"{label}.{SERVICE_TYPE}"


def server_name(label: str) -> str:
    """The SRV target host name for a label: ``label.local.``."""
    return f"{label}.local."


def label_of(name: str) -> str | None:
    """The peer id (lowercase label) of a service instance name, or None if it is not ours."""
    lowered = name.lower()
    suffix = "." + SERVICE_TYPE
    if not lowered.endswith(suffix):
        return None
    label = lowered[: -len(suffix)]
    return label if is_label(label) else None
