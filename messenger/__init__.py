"""Hearth's core: profiles, identities, circles, conversations, moderation, storage.

No Qt here: the desktop app (``ui``) and the headless front end both drive :class:`Messenger`.
"""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("hearth")
except _metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

APP_NAME = "Hearth"
APP_ID = "org.hearth.Hearth"
