"""The headless peer: the same core as the desktop app, driven by lines on standard input."""

from .runner import run_headless

__all__ = ["run_headless"]
