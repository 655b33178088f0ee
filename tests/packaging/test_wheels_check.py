"""packaging/wheels_check.py without the index: targets, and markers judged for each target."""

from __future__ import annotations

from .helpers import ROOT, load_script


def pins_for(target_name: str, python: str = "3.12") -> dict[str, str]:
    check = load_script("wheels_check.py")
    [target] = [t for t in check.TARGETS if t.name == target_name]
    lines = check.for_target(
        check.requirement_lines(ROOT / "constraints.txt"), target.environment(python)
    )
    return dict(line.split("==", 1) for line in lines)


def test_every_shipped_platform_and_python_is_checked() -> None:
    check = load_script("wheels_check.py")
    assert {t.name for t in check.TARGETS} == {
        "win_amd64", "macosx_arm64", "macosx_x86_64", "manylinux_x86_64", "manylinux_aarch64",
    }  # fmt: skip
    assert check.PYTHONS == ("3.11", "3.12", "3.13")
    linux = next(t for t in check.TARGETS if t.name == "manylinux_x86_64")
    assert "manylinux_2_17_x86_64" in linux.platforms and "manylinux2014_x86_64" in linux.platforms


def test_intel_macs_get_the_last_zeroconf_and_cryptography_with_their_wheels() -> None:
    intel = pins_for("macosx_x86_64")
    assert intel["zeroconf"] == "0.148.0" and intel["cryptography"] == "48.0.1"
    for other in ("macosx_arm64", "win_amd64", "manylinux_x86_64", "manylinux_aarch64"):
        pins = pins_for(other)
        assert pins["zeroconf"] != "0.148.0" and pins["cryptography"] != "48.0.1", other
    assert pins_for("manylinux_x86_64")["sqlcipher3"] == "0.6.4"


def test_build_tools_are_chosen_per_target() -> None:
    check = load_script("wheels_check.py")
    by_name = {t.name: t for t in check.TARGETS}
    wanted = {
        name: {
            r.split("==")[0] for r in check.for_target(check.top_level(ROOT), t.environment("3.11"))
        }
        for name, t in by_name.items()
    }
    assert "pefile" in wanted["win_amd64"] and "pefile" not in wanted["manylinux_x86_64"]
    assert "dmgbuild" in wanted["macosx_arm64"] and "dmgbuild" not in wanted["win_amd64"]
    assert any(name.startswith("sqlcipher3>=") for name in wanted["win_amd64"])
