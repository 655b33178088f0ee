#!/usr/bin/env bash
# Builds Hearth for Linux and checks the result; exits non-zero on the first failure.
#
#   packaging/linux/build.sh            (from anywhere; `make package` runs it)
#
# Makes, under dist/:
#   hearth/                         the PyInstaller bundle (onedir)
#   hearth-VERSION-linux-ARCH.tar.gz  that bundle plus share/ (desktop file, icons, metainfo)
#   hearth_VERSION_DEBARCH.deb      /opt/hearth, /usr/bin/hearth, desktop file, icons, metainfo
#   Hearth.AppDir/                  ready for `appimagetool dist/Hearth.AppDir` (not run here)
# and checks: the desktop file and AppStream metadata validate, `hearth --self-test` passes
# offscreen from the bundle, from the .deb's tree and from the AppDir, and every library the
# bundle loads is either inside it or covered by the .deb's Depends (ldd + dpkg).
# The Flatpak manifest (packaging/linux/org.hearth.Hearth.yml) is built by flatpak-builder on
# its own: see packaging/README.md.
#
# Environment: PYTHON (default .venv/bin/python, with packaging/requirements-build.txt
# installed), HEARTH_ICON_SVG (default resources/icons/hearth.svg), HEARTH_SCREENSHOT_BASE_URL
# (replaces the placeholder screenshot host in the packaged metainfo), DEB_MAINTAINER,
# SOURCE_DATE_EPOCH (timestamps inside the archives; default: the last commit's).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/packaging/linux"
cd "$ROOT"

APP_ID=org.hearth.Hearth
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
DIST="$ROOT/dist"
BUILD="$ROOT/build/linux"
ICON_SVG="${HEARTH_ICON_SVG:-$ROOT/resources/icons/hearth.svg}"
DEB_MAINTAINER="${DEB_MAINTAINER:-The Hearth developers <packagers@hearth.invalid>}"
START=$SECONDS

step() { printf '\n== %s (%ss)\n' "$*" "$((SECONDS - START))"; }
die() { printf 'build.sh: error: %s\n' "$*" >&2; exit 1; }

# --- preflight: every tool, before spending time on the build ------------------------------
step "checking the tools"
[ -x "$PYTHON" ] || die "no Python at $PYTHON (run 'make venv', or set PYTHON)"
want_pyinstaller="$(sed -n 's/^pyinstaller==\([^ ;]*\).*/\1/p' "$ROOT/packaging/requirements-build.txt")"
have_pyinstaller="$("$PYTHON" -c 'import PyInstaller; print(PyInstaller.__version__)' 2>/dev/null || true)"
[ "$have_pyinstaller" = "$want_pyinstaller" ] || die "PyInstaller $want_pyinstaller is needed \
(found '${have_pyinstaller:-none}'): $PYTHON -m pip install -c constraints.txt \
-r packaging/requirements-build.txt"
missing=()
for tool in dpkg-deb:dpkg dpkg-query:dpkg ldd:libc-bin tar:tar gzip:gzip \
            desktop-file-validate:desktop-file-utils appstreamcli:appstream; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
done
[ ${#missing[@]} -eq 0 ] || die "missing tools; install them with: apt-get install ${missing[*]}"
[ -f "$ICON_SVG" ] || die "no app icon at $ICON_SVG (set HEARTH_ICON_SVG)"

VERSION="$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
DEB_ARCH="$(dpkg --print-architecture)"
ARCH="$(uname -m)"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
DEPENDS="$(grep -v '^\s*#' "$HERE/deb/depends.txt" | sed '/^\s*$/d' | paste -sd, - | sed 's/,/, /g')"
export QT_QPA_PLATFORM=offscreen
echo "Hearth $VERSION for $ARCH ($DEB_ARCH), PyInstaller $have_pyinstaller"

# --- metadata ----------------------------------------------------------------------------
step "validating the desktop file and AppStream metadata"
DESKTOP="$ROOT/resources/linux/$APP_ID.desktop"
METAINFO="$ROOT/resources/linux/$APP_ID.metainfo.xml"
desktop-file-validate "$DESKTOP"
appstreamcli validate --no-net --explain "$METAINFO"

rm -rf "$BUILD"
mkdir -p "$BUILD" "$DIST"

# share/: what a desktop needs besides the program, laid out as under /usr/share.
step "rendering icons and laying out share/"
"$PYTHON" "$ROOT/packaging/make_icons.py" --svg "$ICON_SVG" "$BUILD/icons"
SHARE="$BUILD/share"
mkdir -p "$SHARE/applications" "$SHARE/metainfo" "$SHARE/icons"
install -m 644 "$DESKTOP" "$SHARE/applications/$APP_ID.desktop"
if [ -n "${HEARTH_SCREENSHOT_BASE_URL:-}" ]; then
  sed "s#https://hearth.example.org/screenshots#${HEARTH_SCREENSHOT_BASE_URL%/}#g" "$METAINFO" \
    > "$SHARE/metainfo/$APP_ID.metainfo.xml"
else
  install -m 644 "$METAINFO" "$SHARE/metainfo/$APP_ID.metainfo.xml"
fi
cp -r "$BUILD/icons/hicolor" "$SHARE/icons/hicolor"

# --- the bundle --------------------------------------------------------------------------
step "PyInstaller bundle"
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$DIST" --workpath "$BUILD/pyinstaller" "$ROOT/packaging/hearth.spec"
BUNDLE="$DIST/hearth"
[ -x "$BUNDLE/hearth" ] || die "PyInstaller made no $BUNDLE/hearth"
[ -d "$BUNDLE/_internal/resources" ] || die "the bundle has no resources/ at its root"
compgen -G "$BUNDLE/_internal/shiboken6-*.dist-info" >/dev/null \
  || die "the bundle lacks shiboken6's metadata (ui.pyside_guard reads its version)"

self_test() {  # $1: the program to run, $2: where
  local out
  if ! out="$(env -u HEARTH_DEBUG HOME="$BUILD/home" "$1" --self-test 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "self-test failed in $2"
  fi
  printf '%s\n' "$out" | sed "s#^#  [$2] #"
}
mkdir -p "$BUILD/home"

step "self-test from the bundle"
self_test "$BUNDLE/hearth" bundle
# the version comes from the bundled package metadata, as shiboken6's does for ui.pyside_guard
[ "$("$BUNDLE/hearth" --version)" = "hearth $VERSION" ] \
  || die "the bundle reports '$("$BUNDLE/hearth" --version)', not 'hearth $VERSION'"

step "libraries the bundle takes from the system"
GLIBC="$("$PYTHON" "$HERE/libdeps.py" glibc "$BUNDLE")"
DEPENDS="libc6 (>= $GLIBC), $(printf '%s' "$DEPENDS" | sed -E 's/(^|, )libc6(, |$)/\1/')"
echo "the bundle needs glibc $GLIBC: Depends: libc6 (>= $GLIBC)"
"$PYTHON" "$HERE/libdeps.py" check "$BUNDLE" --depends "$DEPENDS"

# --- staging: every tree is laid out (hard links) before any archive reads it ---------------
step "staging the tarball, .deb and AppDir trees"
TARBALL="$DIST/hearth-$VERSION-linux-$ARCH.tar.gz"
TARDIR="$BUILD/tar/hearth-$VERSION"
mkdir -p "$TARDIR"
cp -al "$BUNDLE/." "$TARDIR/"
cp -r "$SHARE" "$TARDIR/share"

# .deb: /opt/hearth without the libraries its Depends install, /usr/bin/hearth, /usr/share.
DEBROOT="$BUILD/deb/hearth_${VERSION}_$DEB_ARCH"
mkdir -p "$DEBROOT/opt" "$DEBROOT/usr/bin" "$DEBROOT/usr/share/doc/hearth" "$DEBROOT/DEBIAN"
cp -al "$BUNDLE" "$DEBROOT/opt/hearth"
"$PYTHON" "$HERE/libdeps.py" prune "$DEBROOT/opt/hearth" --depends "$DEPENDS"
ln -s /opt/hearth/hearth "$DEBROOT/usr/bin/hearth"
cp -r "$SHARE/." "$DEBROOT/usr/share/"
install -m 644 "$HERE/deb/copyright" "$DEBROOT/usr/share/doc/hearth/copyright"
installed_size="$(du -sk --apparent-size "$DEBROOT" | cut -f1)"
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$DEB_ARCH/" -e "s/@DEPENDS@/$DEPENDS/" \
    -e "s/@INSTALLED_SIZE@/$installed_size/" -e "s|@MAINTAINER@|$DEB_MAINTAINER|" \
    "$HERE/deb/control.in" > "$DEBROOT/DEBIAN/control"
chmod 755 "$DEBROOT/DEBIAN"
chmod 644 "$DEBROOT/DEBIAN/control"

# AppDir: the whole bundle (an AppImage brings its own libraries) in usr/lib/hearth.
APPDIR="$DIST/Hearth.AppDir"
rm -rf "$APPDIR"
mkdir -p "$APPDIR/usr/lib"
cp -al "$BUNDLE" "$APPDIR/usr/lib/hearth"
cp -r "$SHARE" "$APPDIR/usr/share"
install -m 755 "$HERE/AppRun" "$APPDIR/AppRun"
install -m 644 "$DESKTOP" "$APPDIR/$APP_ID.desktop"
install -m 644 "$BUILD/icons/hicolor/256x256/apps/$APP_ID.png" "$APPDIR/$APP_ID.png"
ln -s "$APP_ID.png" "$APPDIR/.DirIcon"
# appimagetool looks for <id>.appdata.xml; newer ones also read .metainfo.xml.
ln -s "$APP_ID.metainfo.xml" "$APPDIR/usr/share/metainfo/$APP_ID.appdata.xml"

step "tarball (in the background)"
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
  -C "$BUILD/tar" -cf - "hearth-$VERSION" | gzip -n -6 > "$TARBALL" &
TAR_PID=$!

step "self-test and libraries of the .deb's tree"
self_test "$DEBROOT/opt/hearth/hearth" deb
"$PYTHON" "$HERE/libdeps.py" check "$DEBROOT/opt/hearth" --depends "$DEPENDS"

step ".deb"
DEB="$DIST/hearth_${VERSION}_$DEB_ARCH.deb"
dpkg-deb --root-owner-group -Zxz -z1 --build "$DEBROOT" "$DEB" >/dev/null
dpkg-deb --info "$DEB" >/dev/null
contents="$(dpkg-deb --contents "$DEB")"
for path in ./opt/hearth/hearth ./opt/hearth/_internal/resources ./usr/bin/hearth \
            "./usr/share/applications/$APP_ID.desktop" \
            "./usr/share/metainfo/$APP_ID.metainfo.xml" \
            "./usr/share/icons/hicolor/256x256/apps/$APP_ID.png" \
            "./usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"; do
  grep -q " $path/\?\( -> .*\)\?$" <<<"$contents" || die "the .deb lacks $path"
done

step "self-test from the AppDir"
self_test "$APPDIR/AppRun" AppDir

# The .deb loads X11's libraries from the system: prove Qt's xcb plugin starts with them.
step "self-test of the .deb's tree on X11 (Xvfb)"
if command -v Xvfb >/dev/null 2>&1; then
  Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp 3>"$BUILD/xvfb.display" 2>/dev/null &
  XVFB_PID=$!
  trap 'kill "$XVFB_PID" 2>/dev/null || true' EXIT
  for _ in $(seq 100); do [ -s "$BUILD/xvfb.display" ] && break; sleep 0.1; done
  [ -s "$BUILD/xvfb.display" ] || die "Xvfb did not start"
  DISPLAY=":$(head -n1 "$BUILD/xvfb.display")" QT_QPA_PLATFORM=xcb \
    self_test "$DEBROOT/opt/hearth/hearth" "deb, xcb"
  kill "$XVFB_PID" 2>/dev/null || true
  wait "$XVFB_PID" 2>/dev/null || true
  trap - EXIT
else
  echo "  skipped: Xvfb is not installed (apt-get install xvfb)"
fi

step "waiting for the tarball"
wait "$TAR_PID" || die "the tarball failed"
gzip -t "$TARBALL"

step "done"
printf '  %-40s %s\n' "bundle dist/hearth/" "$(du -sh "$BUNDLE" | cut -f1)"
printf '  %-40s %s\n' "${TARBALL#"$ROOT"/}" "$(du -sh "$TARBALL" | cut -f1)"
printf '  %-40s %s\n' "${DEB#"$ROOT"/}" "$(du -sh "$DEB" | cut -f1)"
printf '  %-40s %s\n' "dist/Hearth.AppDir/" "ready for appimagetool"
echo "Linux packages built and checked in $((SECONDS - START))s"
