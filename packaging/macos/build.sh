#!/usr/bin/env bash
# Builds Hearth for macOS: dist/Hearth.app (PyInstaller BUNDLE) and dist/Hearth-VERSION.dmg.
#
#   packaging/macos/build.sh
#
# Needs macOS 11+ with Python 3.11 from python.org (universal2) or Homebrew; builds for the
# machine's architecture. Steps: a fresh venv in build/macos/venv with the exact pins, the icon
# (.icns), PyInstaller with packaging/hearth.spec, the Info.plist keys for local network access,
# `hearth --self-test` offscreen from inside the .app, then the .dmg with dmgbuild.
#
# Signing and notarization (optional; see packaging/README.md):
#   HEARTH_CODESIGN_IDENTITY="Developer ID Application: Name (TEAMID)"  signs while building
#   HEARTH_NOTARY_PROFILE=profile-name   notarizes the .dmg (xcrun notarytool store-credentials)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3.11}"
BUILD="$ROOT/build/macos"
DIST="$ROOT/dist"
VENV="$BUILD/venv"
APP="$DIST/Hearth.app"
START=$SECONDS

step() { printf '\n== %s (%ss)\n' "$*" "$((SECONDS - START))"; }
die() { printf 'build.sh: error: %s\n' "$*" >&2; exit 1; }

step "checking the tools"
[ "$(uname -s)" = Darwin ] || die "this script runs on macOS (Linux: packaging/linux/build.sh)"
command -v "$PYTHON" >/dev/null || die "no $PYTHON (install Python 3.11, or set PYTHON)"
for tool in codesign hdiutil plutil; do
  command -v "$tool" >/dev/null || die "$tool is missing (install the Xcode command line tools)"
done

step "venv with the pinned requirements"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
PY="$VENV/bin/python"
"$PY" -m pip install --quiet --upgrade pip
"$PY" -m pip install --quiet -c constraints.txt -r packaging/requirements-build.txt .
VERSION="$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
echo "Hearth $VERSION for $(uname -m)"

step "icons"
"$PY" packaging/make_icons.py "$BUILD/icons"
export HEARTH_ICON_DIR="$BUILD/icons"

step "PyInstaller bundle"
plutil -lint packaging/macos/Info.plist
"$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$DIST" --workpath "$BUILD/pyinstaller" packaging/hearth.spec
[ -x "$APP/Contents/MacOS/hearth" ] || die "PyInstaller made no $APP"
INFO="$APP/Contents/Info.plist"
for key in CFBundleIdentifier NSLocalNetworkUsageDescription NSBonjourServices LSMinimumSystemVersion; do
  /usr/libexec/PlistBuddy -c "Print :$key" "$INFO" >/dev/null || die "Info.plist lacks $key"
done
[ "$(/usr/libexec/PlistBuddy -c 'Print :NSBonjourServices:0' "$INFO")" = "_hearth._tcp" ] \
  || die "Info.plist does not declare the _hearth._tcp Bonjour service"

step "self-test from the .app"
QT_QPA_PLATFORM=offscreen "$APP/Contents/MacOS/hearth" --self-test

if [ -n "${HEARTH_CODESIGN_IDENTITY:-}" ]; then
  step "verifying the signature"
  codesign --verify --deep --strict --verbose=2 "$APP"
fi

step ".dmg"
DMG="$DIST/Hearth-$VERSION.dmg"
rm -f "$DMG"
"$VENV/bin/dmgbuild" -s packaging/macos/dmg_settings.py -D app="$APP" \
  -D icon="$BUILD/icons/hearth.icns" "Hearth $VERSION" "$DMG"
hdiutil verify "$DMG"

if [ -n "${HEARTH_CODESIGN_IDENTITY:-}" ]; then
  codesign --sign "$HEARTH_CODESIGN_IDENTITY" --timestamp "$DMG"
  if [ -n "${HEARTH_NOTARY_PROFILE:-}" ]; then
    step "notarizing (this waits for Apple)"
    xcrun notarytool submit "$DMG" --keychain-profile "$HEARTH_NOTARY_PROFILE" --wait
    xcrun stapler staple "$DMG"
    xcrun stapler validate "$DMG"
    spctl --assess --type open --context context:primary-signature --verbose "$DMG"
  fi
fi

step "done"
du -sh "$APP" "$DMG"
