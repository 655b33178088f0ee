"""What Hearth hides, and what it does not: the threat model in plain words, for the app."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


def hidden_points() -> list[str]:
    """What Hearth keeps from others."""
    return [
        translate(
            "ThreatModel",
            "Someone watching the network sees that this computer runs Hearth, and its address. "
            "They do not see what is said or who said it.",
        ),
        translate(
            "ThreatModel",
            "Other members see the name you chose for that circle and what you post there — "
            "nothing that links you to your other circles.",
        ),
        translate(
            "ThreatModel",
            "Someone who takes this computer finds nothing (an ephemeral session, or after a "
            "wipe), or a profile locked by your passphrase.",
        ),
    ]


def not_hidden_points() -> list[str]:
    """What Hearth cannot protect against."""
    return [
        translate("ThreatModel", "A computer that is already compromised (spyware, a keylogger)."),
        translate("ThreatModel", "A member who takes screenshots or repeats what was said."),
        translate(
            "ThreatModel",
            "Someone who can see which computers connect to which (on the same Wi-Fi, or who runs "
            "it) can tell which of them share a circle.",
        ),
        translate(
            "ThreatModel",
            "Someone who watches the whole network for a long time and studies its traffic.",
        ),
        translate(
            "ThreatModel",
            "Storage that keeps old copies: a wipe destroys the key, so the data cannot be read, "
            "but some disks keep old blocks.",
        ),
    ]


def as_html() -> str:
    hidden = "".join(f"<li>{p}</li>" for p in hidden_points())
    not_hidden = "".join(f"<li>{p}</li>" for p in not_hidden_points())
    hides = translate("ThreatModel", "What Hearth hides")
    does_not = translate("ThreatModel", "What it does not")
    return f"<p><b>{hides}</b></p><ul>{hidden}</ul><p><b>{does_not}</b></p><ul>{not_hidden}</ul>"
