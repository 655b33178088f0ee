"""Hearth's dialogs: opened with ``open()``, reporting through typed signals."""

from .about import AboutDialog
from .circle_settings import CircleSettingsDialog
from .confirm import ConfirmDialog, NoticeDialog
from .create_circle import CreateCircleDialog
from .dm_request import DmRequestDialog
from .first_run import FirstRunDialog
from .invite import InviteDialog
from .join import JoinDialog
from .leave import LeaveDialog
from .moderation import ModerationQueueDialog
from .report import ReportDialog
from .rules import RulesDialog
from .safety import SafetyNumberDialog
from .settings import SettingsDialog
from .shortcuts import ShortcutsDialog
from .support import SupportDialog
from .unlock import UnlockDialog

__all__ = [
    "AboutDialog",
    "CircleSettingsDialog",
    "ConfirmDialog",
    "CreateCircleDialog",
    "DmRequestDialog",
    "FirstRunDialog",
    "InviteDialog",
    "JoinDialog",
    "LeaveDialog",
    "ModerationQueueDialog",
    "NoticeDialog",
    "ReportDialog",
    "RulesDialog",
    "SafetyNumberDialog",
    "SettingsDialog",
    "ShortcutsDialog",
    "SupportDialog",
    "UnlockDialog",
]
