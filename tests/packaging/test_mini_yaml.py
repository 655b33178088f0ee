"""The tests' YAML subset reader agrees with YAML on what the manifests use, and refuses more."""

from __future__ import annotations

import pytest

from .mini_yaml import YamlSubsetError, loads


def test_mappings_sequences_and_quoted_scalars() -> None:
    text = """
# a comment
app-id: org.example.App
version: '6.10'
empty:
args:
  - --share=network   # why
  - "--socket=wayland"
modules:
  - deps.json
  - name: app
    build-commands:
      - make install
    sources:
      - type: dir
        path: ../..
        skip:
          - .git
"""
    assert loads(text) == {
        "app-id": "org.example.App",
        "version": "6.10",
        "empty": None,
        "args": ["--share=network", "--socket=wayland"],
        "modules": [
            "deps.json",
            {
                "name": "app",
                "build-commands": ["make install"],
                "sources": [{"type": "dir", "path": "../..", "skip": [".git"]}],
            },
        ],
    }


def test_a_sequence_may_sit_at_its_keys_indentation() -> None:
    assert loads("a:\n- 1\n- 2\nb: x\n") == {"a": ["1", "2"], "b": "x"}


@pytest.mark.parametrize(
    "text",
    [
        "a: [1, 2]\n",
        "a: {b: 1}\n",
        "a: &anchor 1\n",
        "a: |\n  text\n",
        "a: 1\na: 2\n",
        "a: 'open\n",
        "a:\n\t- 1\n",
        "a: 1\n   b: 2\n",
        "just text\n",
    ],
)
def test_what_it_cannot_read_is_refused(text: str) -> None:
    with pytest.raises(YamlSubsetError):
        loads(text)
