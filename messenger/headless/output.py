"""How the headless peer prints events: one JSON object a line, or plain lines for people."""

from __future__ import annotations

import json
from typing import Any, TextIO

from ..events import Event, PostEvent


def event_fields(event: Event) -> dict[str, Any]:
    return {"event": event.name, **event.fields()}


def human_line(event: Event) -> str:
    fields = event_fields(event)
    name = fields.pop("event")
    if name == "error":
        return f"! {fields['message']}"
    if name == "ready":
        return f"* ready: listening on {fields['listen']}, profile {fields['profile']}"
    if name == "post":
        author = fields["author"] or "anonymous"
        return f"[{author}] {fields['body']}"
    if name == "dm":
        return f"[dm from {fields['from']}] {fields['body']}"
    if name == "dm_sent":
        return f"[dm to {fields['to']}] {fields['body']}"
    if name == "circle":
        return f"* circle {fields['name']} ({fields['role']}): {fields['invite']}"
    if name in ("peer_connected", "peer_lost"):
        verb = "is here" if name == "peer_connected" else "left"
        return f"* {fields['member']} {verb}"
    if name == "code":
        return f"* read this code aloud: {fields['code']} (open for 10 minutes)"
    if name == "join_request":
        return f"* {fields['member']} asks to join: /approve {fields['request']} or /deny ..."
    if name == "member_removed":
        return f"* {fields['member']} was removed from the circle"
    if name == "post_hidden":
        verb = "hid" if fields["hidden"] else "showed again"
        return f"* a moderator {verb} post {str(fields['id'])[:12]}"
    if name == "report":
        by = fields.get("reporter") or "someone who asked not to be named"
        line = f"* report ({fields['id'][:12]}): {fields['member']} for {fields['reason']}"
        line += f", from {by}"
        if fields["details"]:
            line += f": {fields['details']}"
        if "post_body" in fields:
            line += f"\n  post {str(fields['post_id'])[:12]}: {fields['post_body']}"
        return line
    if name == "list":
        return "\n".join(f"  {item}" for item in fields["items"]) or "  (none)"
    if name == "info":
        return str(fields["message"])
    if name == "bye":
        return "* bye"
    rest = " ".join(f"{k}={v}" for k, v in fields.items())
    return f"* {name} {rest}".rstrip()


INTERNAL = frozenset({"circles_changed"})
"""Events for the desktop app's refreshes, not part of the headless contract."""


class EventPrinter:
    """Writes each event to ``stream`` and flushes, so a driving process sees it at once."""

    def __init__(self, stream: TextIO, as_json: bool) -> None:
        self._stream = stream
        self._json = as_json

    def __call__(self, event: Event) -> None:
        if event.name in INTERNAL:
            return
        if isinstance(event, PostEvent) and event.post.hidden:
            return  # a blocked member's, or one a moderator hid: never surfaces here
        if self._json:
            line = json.dumps(event_fields(event), ensure_ascii=False, separators=(",", ":"))
        else:
            line = human_line(event)
        self._stream.write(line + "\n")
        self._stream.flush()
