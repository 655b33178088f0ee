"""dmgbuild settings for Hearth's disk image: the app beside a link to /Applications.

    dmgbuild -s packaging/macos/dmg_settings.py -D app=dist/Hearth.app Hearth dist/Hearth.dmg

dmgbuild runs this file with ``defines`` (the -D values) among its globals.
"""

from __future__ import annotations

import os.path

_defines: dict[str, str] = globals().get("defines", {})

application = _defines.get("app", "dist/Hearth.app")
appname = os.path.basename(application)

format = _defines.get("format", "UDZO")  # compressed, read-only
filesystem = "HFS+"
size = None  # as small as the files allow
files = [application]
symlinks = {"Applications": "/Applications"}
icon = _defines.get("icon")  # the volume's icon: the app's .icns when given
badge_icon = None

show_status_bar = False
show_tab_view = False
show_toolbar = False
show_pathbar = False
show_sidebar = False
window_rect = ((200, 160), (560, 320))
default_view = "icon-view"
icon_size = 112
text_size = 13
arrange_by = None
icon_locations = {appname: (140, 150), "Applications": (420, 150)}
background = "builtin-arrow"
