"""About Hearth: version, licence, and what it protects."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from messenger import APP_NAME, __version__

from ..threat_model import as_html
from .base import Dialog

LICENCE = "GPL-3.0-or-later"


class AboutDialog(Dialog):
    supportRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("About {app}").format(app=APP_NAME), parent)
        self.setMinimumWidth(520)
        self.version = QLabel(self.tr("Version {version}").format(version=__version__))
        self.version.setAccessibleName(self.version.text())
        self.content.addWidget(self.version)
        self.hint(
            self.tr(
                "A peer-to-peer messenger for small circles on a shared network. Free software "
                "under the GNU General Public License, version 3 or later ({licence})."
            ).format(licence=LICENCE)
        )
        self.threat_model = QLabel(as_html())
        self.threat_model.setObjectName("RulesBox")
        self.threat_model.setWordWrap(True)
        self.threat_model.setTextFormat(Qt.TextFormat.RichText)
        self.threat_model.setAccessibleName(self.tr("What Hearth hides, and what it does not"))
        self.content.addWidget(self.threat_model)
        self.support_button = self.add_button(self.tr("Help elsewhere"))
        self.support_button.clicked.connect(self.supportRequested)
        self.add_primary(self.tr("Close")).clicked.connect(self.accept)
