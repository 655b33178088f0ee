"""What a person does again and again, as sequences of clicks and keys on a :class:`DrivenApp`."""

from __future__ import annotations

from tests.scenarios.harness import DrivenApp

PASSPHRASE = "correct horse battery staple"
WELCOME = "Welcome to Hearth"


def first_run(app: DrivenApp, pseudonym: str, passphrase: str | None = PASSPHRASE) -> None:
    """The welcome dialog through to the main window: a profile, or ephemeral when None."""
    app.wait_widget("Continue", within=WELCOME)
    app.call("click", name="Continue", within=WELCOME)
    if passphrase is None:
        app.call("click", name="Ephemeral session, nothing is saved")
    else:
        app.call("type", name="Passphrase", text=passphrase, within=WELCOME)
        app.call("type", name="The same passphrase again", text=passphrase, within=WELCOME)
    app.call("click", name="Continue", within=WELCOME)
    app.call("set_text", name="Your name in this circle", text=pseudonym, within=WELCOME)
    app.call("click", name="Start", within=WELCOME)
    app.wait(lambda: not app.exists(WELCOME, cls="QDialog"), "the welcome dialog to close")
    main_window_ready(app)


def main_window_ready(app: DrivenApp) -> None:
    """The profile is open: the window takes requests (it waits, greyed, until then)."""
    app.wait(
        lambda: app.call("read", name="Create a circle", cls="QPushButton")["enabled"],
        "the main window to be ready",
    )


def unlock(app: DrivenApp, passphrase: str = PASSPHRASE) -> None:
    app.wait_widget("Passphrase", within="Unlock your profile")
    app.call("type", name="Passphrase", text=passphrase, within="Unlock your profile")
    app.call("click", name="Unlock", within="Unlock your profile")


def set_wipe_on_quit(app: DrivenApp, wipe: bool) -> None:
    """Settings → Safety → "Wipe everything when I quit" → Save."""
    app.call("key", keys="Ctrl+,")
    app.wait_widget("Settings", cls="QTabWidget")
    app.call("tab", name="Settings", cls="QTabWidget", tab="Safety")
    box = app.call("read", name="Wipe everything when I quit")
    if box["checked"] != wipe:
        app.call("click", name="Wipe everything when I quit")
    app.call("click", name="Save")
    app.wait(lambda: not app.exists("Settings", cls="QTabWidget"), "the settings to close")
