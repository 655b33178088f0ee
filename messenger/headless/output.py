"""How the headless peer prints events: one JSON object a line, or plain lines for people."""

from __future__ import annotations

import dataclasses
import json
from typing import Any, TextIO

from ..events import Event


def event_fields(event: Event) -> dict[str, Any]:
    fields: dict[str, Any] = {"event": event.name}
    for f in dataclasses.fields(event):
        value = getattr(event, f.name)
        fields[f.name] = value.hex() if isinstance(value, bytes) else value
    return fields


def human_line(event: Event) -> str:
    fields = event_fields(event)
    name = fields.pop("event")
    if name == "error":
        return f"! {fields['message']}"
    if name == "ready":
        return f"* ready: listening on {fields['listen']}, profile {fields['profile']}"
    if name == "info":
        return str(fields["message"])
    if name == "bye":
        return "* bye"
    rest = " ".join(f"{k}={v}" for k, v in fields.items())
    return f"* {name} {rest}".rstrip()


class EventPrinter:
    """Writes each event to ``stream`` and flushes, so a driving process sees it at once."""

    def __init__(self, stream: TextIO, as_json: bool) -> None:
        self._stream = stream
        self._json = as_json

    def __call__(self, event: Event) -> None:
        if self._json:
            line = json.dumps(event_fields(event), ensure_ascii=False, separators=(",", ":"))
        else:
            line = human_line(event)
        self._stream.write(line + "\n")
        self._stream.flush()
