"""macOS Local Network permission: detected from how sends fail, explained with where to allow
it. The probe's decisions run through its ``send`` seam (denial exists only on macOS); the one
real send here goes out of the loopback interface."""

from __future__ import annotations

import asyncio
import errno
from collections.abc import Sequence

import pytest
from pytestqt.qtbot import QtBot

from messenger.local_network import QUERY, local_network_denied, send_query
from tests.posix import POSIX
from ui.dialogs.confirm import NoticeDialog
from ui.local_network import explain_if_denied
from ui.main_window import MainWindow


def failing(code: int | None):  # type: ignore[no-untyped-def]
    def send(address: str) -> None:
        if code is not None:
            raise OSError(code, "refused")

    return send


def test_every_interface_refusing_with_no_route_means_denied() -> None:
    addrs = ["192.168.1.5", "10.0.0.5"]
    assert local_network_denied(addrs, platform="darwin", send=failing(errno.EHOSTUNREACH))
    assert not local_network_denied(addrs, platform="darwin", send=failing(None))  # allowed
    assert not local_network_denied(addrs, platform="darwin", send=failing(errno.ENETDOWN))
    assert not local_network_denied([], platform="darwin", send=failing(errno.EHOSTUNREACH))
    # Only macOS has the permission: elsewhere nothing is sent at all.
    sent: list[str] = []
    assert not local_network_denied(addrs, platform="linux", send=sent.append)
    assert sent == []


@pytest.mark.skipif(not POSIX, reason="multicast out of the loopback interface: POSIX hosts")
def test_the_query_is_a_well_formed_mdns_question_sent_on_loopback() -> None:
    assert QUERY[:12] == bytes([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])  # one question, no answers
    assert b"\x07_hearth\x04_tcp\x05local\x00" in QUERY
    send_query("127.0.0.1")  # does not raise where local traffic is allowed


def test_a_denied_permission_is_explained_with_where_to_allow_it(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    asked: list[Sequence[str]] = []

    def denied(hosts: Sequence[str]) -> bool:
        asked.append(list(hosts))
        return True

    qasync_loop.run_until_complete(
        explain_if_denied(window, ["192.168.1.5:41000", "0.0.0.0:41000"], probe=denied)
    )
    assert asked == [["192.168.1.5"]]
    [box] = [b for b in window.findChildren(NoticeDialog) if b.isVisible()]
    assert "Privacy & Security → Local Network" in box.message.text()
    box.close()
    qasync_loop.run_until_complete(
        explain_if_denied(window, ["192.168.1.5:41000"], probe=lambda hosts: False)
    )
    assert not [b for b in window.findChildren(NoticeDialog) if b.isVisible()]
