"""packaging/hearth.spec, run with stand-ins for PyInstaller's classes (no PyInstaller run)."""

from __future__ import annotations

import importlib.util
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from messenger import APP_ID
from network.discovery import SERVICE_TYPE

from .helpers import PACKAGING, ROOT

SPEC = PACKAGING / "hearth.spec"


class Recorder:
    """What the spec built: every Analysis/PYZ/EXE/COLLECT/BUNDLE call and its arguments."""

    def __init__(self) -> None:
        self.calls: dict[str, list[tuple[tuple[Any, ...], dict[str, Any]]]] = {}
        self.instances: dict[str, list[Any]] = {}
        self.collected: list[str] = []
        self.metadata: list[str] = []

    def stub(self, kind: str) -> type:
        recorder = self

        class Stub:
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                recorder.calls.setdefault(kind, []).append((args, kwargs))
                recorder.instances.setdefault(kind, []).append(self)
                self.args, self.kwargs = args, kwargs
                if kind == "Analysis":
                    self.scripts: list[Any] = []
                    self.pure: list[Any] = []
                    self.datas = list(kwargs["datas"])
                    self.binaries = [(name, "/src/" + name, "BINARY") for name in BINARIES]

        Stub.__name__ = kind
        return Stub

    def hooks_module(self) -> types.ModuleType:
        module = types.ModuleType("PyInstaller.utils.hooks")

        def collect_submodules(name: str) -> list[str]:
            self.collected.append(name)
            return [f"{name}._collected"]

        def copy_metadata(name: str) -> list[tuple[str, str]]:
            self.metadata.append(name)
            return [(f"/site/{name}-1.0.dist-info", f"{name}-1.0.dist-info")]

        module.collect_submodules = collect_submodules  # type: ignore[attr-defined]
        module.copy_metadata = copy_metadata  # type: ignore[attr-defined]
        return module


# X libraries only GTK links, which PyInstaller bundles when libgtk-3 is on the build host.
GTK_ONLY_X = [
    "libXcomposite.so.1",
    "libXcursor.so.1",
    "libXdamage.so.1",
    "libXfixes.so.3",
    "libXi.so.6",
    "libXinerama.so.1",
    "libXrandr.so.2",
    "libatspi.so.0",
]

# Destinations as PyInstaller 6 would list them for a Linux build.
BINARIES = [
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/imageformats/libqpdf.so",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
    "PySide6/Qt/plugins/tls/libqopensslbackend.so",
    "PySide6/Qt/lib/libQt6Core.so.6",
    "PySide6/Qt/lib/libQt6Pdf.so.6",
    "libcairo.so.2",
    "libgio-2.0.so.0",
    "libglib-2.0.so.0",
    "libfontconfig.so.1",
    "libjpeg.so.62",
    # what PyInstaller adds when libgtk-3 is installed on the build host
    *GTK_ONLY_X,
    # what Qt's xcb plugin needs
    "libX11.so.6",
    "libX11-xcb.so.1",
    "libxcb-cursor.so.0",
]


def run_spec(
    monkeypatch: pytest.MonkeyPatch, platform: str = "linux"
) -> tuple[Recorder, dict[str, Any]]:
    recorder = Recorder()
    hooks = recorder.hooks_module()
    monkeypatch.setitem(sys.modules, "PyInstaller", types.ModuleType("PyInstaller"))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils", types.ModuleType("PyInstaller.utils"))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.delenv("HEARTH_VERSION", raising=False)
    monkeypatch.delenv("HEARTH_CODESIGN_IDENTITY", raising=False)
    namespace: dict[str, Any] = {
        "__name__": "__main__",
        "__file__": str(SPEC),
        "SPECPATH": str(PACKAGING),
        **{kind: recorder.stub(kind) for kind in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")},
    }
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    return recorder, namespace


def analysis_kwargs(recorder: Recorder) -> dict[str, Any]:
    [(_, kwargs)] = recorder.calls["Analysis"]
    return kwargs


def test_the_entry_script_starts_the_hearth_command(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder, _ = run_spec(monkeypatch)
    [(args, kwargs)] = recorder.calls["Analysis"]
    [entry] = args[0]
    assert Path(entry) == PACKAGING / "hearth_entry.py"
    assert "from ui.cli import main" in Path(entry).read_text(encoding="utf-8")
    assert str(ROOT) in kwargs["pathex"]


def test_every_resource_ships_under_resources_at_the_bundle_root(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorder, _ = run_spec(monkeypatch)
    datas = analysis_kwargs(recorder)["datas"]
    shipped = {Path(src) for src, _ in datas}
    for path in (ROOT / "resources").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            assert path in shipped, f"{path} is not in the bundle"
    for src, dest in datas:
        if Path(src).is_relative_to(ROOT / "resources"):
            # messenger.paths.resources_dir() is sys._MEIPASS/resources when frozen
            expected = Path("resources") / Path(src).parent.relative_to(ROOT / "resources")
            assert Path(dest) == expected
    assert any(Path(src).name == "joincode.txt" for src, _ in datas)


def test_version_metadata_travels_with_the_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder, _ = run_spec(monkeypatch)
    # messenger.__version__ reads hearth's; ui.pyside_guard reads shiboken6's
    assert {"hearth", "shiboken6"} <= set(recorder.metadata)
    dests = {dest for _, dest in analysis_kwargs(recorder)["datas"]}
    assert "shiboken6-1.0.dist-info" in dests


def test_hidden_imports_cover_what_static_analysis_misses(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder, _ = run_spec(monkeypatch)
    hidden = set(analysis_kwargs(recorder)["hiddenimports"])
    assert "zeroconf" in recorder.collected and "zeroconf._collected" in hidden
    for name in (
        "nacl._sodium",
        "sqlcipher3",
        "sqlcipher3._sqlite3",
        "qasync",
        "msgpack._cmsgpack",
        "spake2",
        "PySide6.QtSvg",
    ):
        assert name in hidden


def test_every_hidden_import_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder, _ = run_spec(monkeypatch)
    monkeypatch.undo()  # the real sys.platform and modules again
    for name in analysis_kwargs(recorder)["hiddenimports"]:
        if name.endswith("._collected") or name == "qasync._windows":
            continue
        assert importlib.util.find_spec(name) is not None, f"no module {name}"


def test_unused_qt_modules_are_excluded_and_used_ones_are_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorder, _ = run_spec(monkeypatch)
    excludes = set(analysis_kwargs(recorder)["excludes"])
    for name in (
        "PySide6.QtQml",
        "PySide6.QtQuick",
        "PySide6.QtWebEngineCore",
    ):
        assert name in excludes
    for name in (
        "PySide6.QtCore",
        "PySide6.QtGui",
        "PySide6.QtWidgets",
        "PySide6.QtSvg",
        "PySide6.QtNetwork",  # local sockets: a second launch hands its link over
    ):
        assert name not in excludes
    assert {"PyQt5", "PyQt6", "PySide2", "tkinter"} <= excludes


def test_no_excluded_module_is_imported_by_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder, _ = run_spec(monkeypatch)
    excludes = set(analysis_kwargs(recorder)["excludes"])
    pattern = re.compile(r"^\s*(?:from|import)\s+([\w.]+)", re.MULTILINE)
    for package in ("ui", "messenger", "network"):
        for path in (ROOT / package).rglob("*.py"):
            for module in pattern.findall(path.read_text(encoding="utf-8")):
                parts = module.split(".")
                prefixes = {".".join(parts[: i + 1]) for i in range(len(parts))}
                assert not prefixes & excludes, f"{path} imports {module}, which the spec excludes"


def test_unused_plugins_and_the_partial_gtk_stack_are_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorder, namespace = run_spec(monkeypatch)
    kept = {name for name, _, _ in namespace["a"].binaries}
    for name in (
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
        "PySide6/Qt/lib/libQt6Core.so.6",
        "libglib-2.0.so.0",
        "libfontconfig.so.1",
        "libX11.so.6",
        "libX11-xcb.so.1",
        "libxcb-cursor.so.0",
    ):
        assert name in kept
    for name in (
        "PySide6/Qt/plugins/platforms/libqeglfs.so",
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        "PySide6/Qt/plugins/imageformats/libqpdf.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/tls/libqopensslbackend.so",
        "PySide6/Qt/lib/libQt6Pdf.so.6",
        "libcairo.so.2",
        "libgio-2.0.so.0",
        "libjpeg.so.62",
        *GTK_ONLY_X,
    ):
        assert name not in kept


def test_linux_builds_one_console_program_in_one_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder, _ = run_spec(monkeypatch, "linux")
    [(_, exe)] = recorder.calls["EXE"]
    assert exe["name"] == "hearth" and exe["console"] is True and exe["exclude_binaries"] is True
    [(_, coll)] = recorder.calls["COLLECT"]
    assert coll["name"] == "hearth"
    assert "BUNDLE" not in recorder.calls


def test_windows_builds_a_windowed_and_a_console_program(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder, _ = run_spec(monkeypatch, "win32")
    exes = {kwargs["name"]: kwargs for _, kwargs in recorder.calls["EXE"]}
    assert exes["hearth"]["console"] is False  # the Start menu's: no terminal window
    assert exes["hearth-cli"]["console"] is True  # --headless and --self-test
    [(args, _)] = recorder.calls["COLLECT"]
    exe_objects = recorder.instances["EXE"]
    assert [a for a in args if any(a is e for e in exe_objects)] == exe_objects  # one folder


def test_macos_builds_an_app_bundle_with_local_network_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorder, namespace = run_spec(monkeypatch, "darwin")
    [(_, bundle)] = recorder.calls["BUNDLE"]
    assert bundle["name"] == "Hearth.app"
    assert bundle["bundle_identifier"] == APP_ID
    assert bundle["version"] == namespace["VERSION"]
    info = bundle["info_plist"]
    assert info["CFBundleShortVersionString"] == namespace["VERSION"]
    assert info["NSBonjourServices"] == [SERVICE_TYPE.removesuffix(".local.")]
    assert info["NSLocalNetworkUsageDescription"]


def test_version_comes_from_pyproject_unless_overridden(monkeypatch: pytest.MonkeyPatch) -> None:
    import tomllib

    _, namespace = run_spec(monkeypatch)
    with (ROOT / "pyproject.toml").open("rb") as f:
        assert namespace["VERSION"] == tomllib.load(f)["project"]["version"]
    monkeypatch.setenv("HEARTH_VERSION", "9.8.7")
    assert namespace["project_version"]() == "9.8.7"


def test_icons_are_used_only_when_built(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "hearth.ico").write_bytes(b"\0\0\1\0")
    _, namespace = run_spec(monkeypatch)
    monkeypatch.setenv("HEARTH_ICON_DIR", str(tmp_path))
    assert namespace["icon_file"](".ico") == str(tmp_path / "hearth.ico")
    assert namespace["icon_file"](".icns") is None
    monkeypatch.delenv("HEARTH_ICON_DIR")
    assert namespace["icon_file"](".ico") is None
