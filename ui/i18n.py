"""Load the app's translation for the person's language, if one is installed.

Translations live in ``resources/translations/hearth_<language>.qm`` (compiled with
``pyside6-lrelease`` from the ``.ts`` files; ``hearth_en.ts`` lists every text).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from messenger.paths import resource


def install_translator(
    app: QCoreApplication, locale: QLocale | None = None, folder: Path | None = None
) -> QTranslator | None:
    """Install the best ``hearth_*.qm`` for ``locale`` (default: the system's); None if none."""
    translator = QTranslator(app)
    where = str(folder or resource("translations"))
    if not translator.load(locale or QLocale(), "hearth", "_", where, ".qm"):
        return None
    app.installTranslator(translator)
    return translator
