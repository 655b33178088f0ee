"""What a person does again and again, as sequences of clicks and keys on a :class:`DrivenApp`."""

from __future__ import annotations

from tests.scenarios.harness import DriveError, DrivenApp

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


def quit_app(app: DrivenApp) -> int:
    app.call("key", keys="Ctrl+Q")
    return app.wait_exit(45)


def create_circle(app: DrivenApp, name: str, pseudonym: str, rules: str | None = None) -> None:
    """Ctrl+N, the form, "Create circle"; returns once the circle's conversation is open."""
    app.call("key", keys="Ctrl+N")
    within = "Create a circle"
    app.wait_widget("Name", within=within)
    app.call("set_text", name="Name", text=name, within=within)
    if rules is not None:
        app.call("set_text", name="Rules", text=rules, within=within)
    app.call("set_text", name="Your name in this circle", text=pseudonym, within=within)
    app.call("click", name="Create circle", within=within)
    app.wait(lambda: not app.exists(within, cls="QDialog"), "the create dialog to close")
    app.wait_widget("Invite someone to this circle")


def open_invite(app: DrivenApp) -> str:
    """The invite dialog of the open circle; returns its window title."""
    app.call("click", name="Invite someone to this circle")
    reply = app.wait_widget("Invite link")
    assert reply["text"].startswith("hearth")
    titles = [w["title"] for w in app.call("windows")["windows"] if w["cls"] == "InviteDialog"]
    return str(titles[0])


def show_spoken_code(app: DrivenApp, within: str) -> str:
    app.call("click", name="Show a spoken code to read aloud", within=within)
    reply = app.wait(
        lambda: (
            (r := app.ask("read", name="Spoken code", within=within)).get("ok") and r["text"] and r
        ),
        "a spoken code",
    )
    return str(reply["text"])


def join(
    app: DrivenApp, link_or_code: str, pseudonym: str, *, typed: bool = False, intro: str = ""
) -> None:
    """Ctrl+J, the link or code, a name (an introduction), "Join" (approval may follow). Rules
    the dialog shows are accepted there; rules still to come are accepted in their own dialog
    once connected."""
    app.call("key", keys="Ctrl+J")
    within = "Join a circle"
    app.wait_widget("Invite link or spoken code", within=within)
    op = "type" if typed else "set_text"
    app.call(op, name="Invite link or spoken code", text=link_or_code, within=within)
    app.call("click", name="Continue", within=within)
    app.wait_widget("Your name in this circle", limit=45, within=within, cls="QLineEdit")
    if app.exists("I have read the rules and will follow them", within=within):
        app.call("click", name="I have read the rules and will follow them", within=within)
    app.call("set_text", name="Your name in this circle", text=pseudonym, within=within)
    if intro:
        app.call("set_text", name="Introduction", text=intro, within=within, cls="QPlainTextEdit")
    app.call("click", name="Join", within=within)


def joined(app: DrivenApp, limit: float = 60.0) -> None:
    app.wait(lambda: not app.exists("Join a circle", cls="QDialog"), "the join to finish", limit)
    app.wait_widget("Invite someone to this circle")


def let_in(host: DrivenApp, invite: str, name: str, guest: DrivenApp | None = None) -> None:
    """The host approves a newcomer in the open invite dialog. If the newcomer's Join dialog
    shows a problem (finding the host by mDNS can outlast the 15 s search on a loaded machine,
    or a busy join point turn a try away), the newcomer presses Join again, as a person would
    (at most 3 times); what the dialog said is in the error if the host is never asked."""
    problems: list[str] = []

    def asked() -> bool:
        if host.exists(f"Let {name} in", within=invite):
            return True
        if (
            guest is not None
            and len(problems) < 3
            and guest.exists("Problem", within="Join a circle")
        ):
            problem = guest.text("Problem", within="Join a circle")
            if problem:
                problems.append(problem)
                guest.call("click", name="Join", within="Join a circle")
        return False

    try:
        host.wait(asked, f"widget 'Let {name} in'", 90)
    except DriveError as exc:
        raise DriveError(f"{exc} (the newcomer's Join dialog said: {problems})") from None
    host.call("click", name=f"Let {name} in", within=invite)


def circle_with_guests(
    host: DrivenApp, guests: list[tuple[DrivenApp, str]], circle: str = "Tuesday Evening"
) -> None:
    """The host creates ``circle`` and lets each guest in by spoken code; invite closed after."""
    create_circle(host, circle, "Quiet Heron")
    invite = open_invite(host)
    code = show_spoken_code(host, invite)
    for guest, name in guests:
        join(guest, code, name)
        let_in(host, invite, name, guest)
        joined(guest)
    host.call("click", name="Done", within=invite)


def accept_dm_request(host: DrivenApp, who: str) -> None:
    """The sidebar's "<who> asks to talk" row, then Accept in its dialog."""
    host.call("select", name="Direct messages", row=f"{who} asks to talk")
    dialog = f"{who} asks to talk privately"
    host.wait_widget(f"Accept {who}'s request", within=dialog)
    host.call("click", name=f"Accept {who}'s request", within=dialog)


def open_direct_with(app: DrivenApp, name: str) -> None:
    """Double-click ``name`` in "People here": their private conversation opens."""
    app.wait(lambda: any(name in r for r in app.rows("People here")), f"{name} nearby")
    app.call("select", name="People here", row=name, double=True)
    app.wait(
        lambda: (
            f"Write to {name}"
            in app.call("read", name="Message", cls="QPlainTextEdit")["placeholder"]
        ),
        f"the conversation with {name}",
    )


def send_message(app: DrivenApp, text: str) -> None:
    app.wait(lambda: app.call("read", name="Message", cls="QPlainTextEdit")["enabled"], "composer")
    app.call("set_text", name="Message", text=text, cls="QPlainTextEdit")
    app.call("click", name="Send message")


def messages(app: DrivenApp) -> list[str]:
    """The rows of the open conversation (none while it shows its empty state)."""
    return app.rows("Messages") if app.exists("Messages") else []


def open_panel_member(app: DrivenApp, name: str) -> None:
    """Open the circle panel and select ``name`` in its member list."""
    if not app.exists("Members"):
        app.call("click", name="Show the circle's rules and members")
    app.wait(lambda: any(name in r for r in app.rows("Members")), f"{name} in the panel")
    app.call("select", name="Members", row=name)


def accept_rules(app: DrivenApp, circle: str = "Tuesday Evening", containing: str = "") -> str:
    """The circle's rules dialog (after joining, or when they change): read, then accept."""
    within = f"The rules of {circle}"
    rules = app.wait(
        lambda: (
            (r := app.ask("read", name="The circle's rules", within=within)).get("ok")
            and containing in r["text"]
            and r
        ),
        f"the rules of {circle}",
        60,
    )
    app.call("click", name="Accept the rules", within=within)
    app.wait(lambda: not app.exists(within, cls="RulesDialog"), "the rules dialog to close")
    return str(rules["text"])
