"""``hearth --self-test``: prove the installation works (crypto, mDNS, storage, Qt), offscreen.

Packagers run it inside a freshly built bundle. No network traffic: the zeroconf check builds
and parses an mDNS packet in memory.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


def _check_nacl() -> str:
    import nacl.bindings
    from nacl.public import PrivateKey
    from nacl.signing import SigningKey

    key = SigningKey.generate()
    key.verify_key.verify(key.sign(b"hearth"))
    a, b = PrivateKey.generate(), PrivateKey.generate()
    shared = nacl.bindings.crypto_scalarmult(bytes(a), bytes(b.public_key))
    assert shared == nacl.bindings.crypto_scalarmult(bytes(b), bytes(a.public_key))
    return "libsodium: X25519 and Ed25519 ok"


def _check_zeroconf() -> str:
    import zeroconf
    from zeroconf import ServiceInfo, const
    from zeroconf._protocol.incoming import DNSIncoming
    from zeroconf._protocol.outgoing import DNSOutgoing

    info = ServiceInfo(
        "_hearth._tcp.local.",
        "selftest._hearth._tcp.local.",
        addresses=[bytes([127, 0, 0, 1])],
        port=9,
        properties={b"v": b"2"},
        server="selftest.local.",
    )
    out = DNSOutgoing(const._FLAGS_QR_RESPONSE | const._FLAGS_AA)
    out.add_answer_at_time(info.dns_pointer(), 0)
    out.add_answer_at_time(info.dns_service(), 0)
    out.add_answer_at_time(info.dns_text(), 0)
    packet = out.packets()[0]
    parsed = DNSIncoming(packet)
    assert len(parsed.answers()) == 3
    return f"zeroconf {zeroconf.__version__}"


def _check_storage() -> str:
    import sqlcipher3

    db = sqlcipher3.connect(":memory:")
    db.execute("PRAGMA key = \"x'" + "11" * 32 + "'\"")
    version = db.execute("PRAGMA cipher_version").fetchone()
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    db.close()
    if not version:
        raise RuntimeError("SQLCipher is not active")
    return f"SQLCipher {version[0]}"


def _check_qt() -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtGui import QImage

    from .app import make_application
    from .main_window import MainWindow

    app = make_application()
    window = MainWindow()
    image = QImage(window.size(), QImage.Format.Format_ARGB32)
    window.render(image)
    window.close()
    app.processEvents()
    if image.isNull():
        raise RuntimeError("could not render the main window")
    return f"Qt {pyside_version} ({app.platformName()})"


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("crypto", _check_nacl),
    ("discovery", _check_zeroconf),
    ("storage", _check_storage),
    ("interface", _check_qt),
]


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    failed = 0
    for name, check in CHECKS:
        try:
            detail = check()
        except Exception as exc:  # report every failure, whatever it is
            failed += 1
            print(f"FAIL {name}: {type(exc).__name__}: {exc}")
        else:
            print(f"ok   {name}: {detail}")
    print("self-test passed" if not failed else f"self-test failed ({failed} check(s))")
    sys.stdout.flush()
    return 0 if not failed else 1
