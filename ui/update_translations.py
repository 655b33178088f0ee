"""Regenerate ``resources/translations/hearth_en.ts`` from every ``tr()`` in ``ui/``.

``python -m ui.update_translations`` runs ``pyside6-lupdate`` (shipped with PySide6-Essentials,
beside the venv's python). Translators copy the file to ``hearth_<language>.ts``, translate it
with Qt Linguist, and ``pyside6-lrelease`` turns it into the ``.qm`` the app loads.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from messenger.paths import resource

UI = Path(__file__).resolve().parent


class LupdateMissing(Exception):
    """pyside6-lupdate is not installed beside this Python."""


def lupdate() -> Path:
    beside = Path(sys.executable).with_name("pyside6-lupdate")
    if beside.exists():
        return beside
    found = shutil.which("pyside6-lupdate")
    if found is None:
        raise LupdateMissing("pyside6-lupdate not found beside this Python or on PATH")
    return Path(found)


def sources() -> list[Path]:
    return sorted(p for p in UI.rglob("*.py") if "__pycache__" not in p.parts)


def update(target: Path | None = None, timeout: float = 120.0) -> Path:
    target = target or resource("translations", "hearth_en.ts")
    target.parent.mkdir(parents=True, exist_ok=True)
    command = [str(lupdate()), "-no-obsolete", "-locations", "none"]
    command += ["-source-language", "en", "-target-language", "en"]
    command += [str(p) for p in sources()] + ["-ts", str(target)]
    subprocess.run(command, check=True, capture_output=True, timeout=timeout)
    return target


def main() -> int:
    try:
        print(update())
    except (LupdateMissing, subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        print(f"update_translations: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
