#!/usr/bin/env bash
# Installs the Debian packages that some tests need, when they are missing and we are root.
# Without root, the tests that need them skip with a reason saying which package is missing.
set -u
need=()
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
command -v ping >/dev/null 2>&1 || need+=(iputils-ping)
command -v nft >/dev/null 2>&1 || need+=(nftables)  # bench_circle counts post frames with it
command -v makensis >/dev/null 2>&1 || need+=(nsis)  # the Windows installer script compiles here
command -v desktop-file-validate >/dev/null 2>&1 || need+=(desktop-file-utils)
command -v appstreamcli >/dev/null 2>&1 || need+=(appstream)
# Notifications without a tray (a private session bus, the app's gdbus) and with one (trayer).
command -v dbus-daemon >/dev/null 2>&1 || need+=(dbus-daemon)
command -v dbus-monitor >/dev/null 2>&1 || need+=(dbus-bin)
command -v gdbus >/dev/null 2>&1 || need+=(libglib2.0-bin)
command -v trayer >/dev/null 2>&1 || need+=(trayer)
# Qt's xcb platform plugin (for real windows under Xvfb and for screenshots).
for lib in libxcb-cursor0 libxkbcommon-x11-0 libegl1 libfontconfig1 libdbus-1-3 libxcb-icccm4 \
           libxcb-keysyms1 libxcb-shape0 libxcb-render-util0 libxcb-image0 fonts-dejavu-core \
           libwayland-cursor0 libwayland-egl1; do
  dpkg-query -W -f='${Status}' "$lib" 2>/dev/null | grep -q 'install ok installed' || need+=("$lib")
done
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: missing ${need[*]} (not root or no apt): the tests that need them will skip" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
  || echo "system-deps: apt-get could not install ${need[*]}: the tests that need them will skip" >&2
exit 0
