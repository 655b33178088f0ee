"""The ``hearth`` console script: parse the command line, then start the right front end."""

from __future__ import annotations

import asyncio
import logging
import os
import sys

from messenger.options import UsageError, parse_args

EXIT_USAGE = 2


def _configure_logging() -> None:
    level = logging.DEBUG if os.environ.get("HEARTH_DEBUG") else logging.INFO
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def main(argv: list[str] | None = None) -> int:
    try:
        options = parse_args(argv)
    except UsageError as exc:
        print(f"hearth: error: {exc} (see hearth --help)", file=sys.stderr)
        return EXIT_USAGE
    _configure_logging()
    if options.self_test:
        from .selftest import run_self_test

        return run_self_test()
    if options.headless:
        from messenger.headless import run_headless

        return asyncio.run(run_headless(options))
    from .app import run_app

    return run_app(options)


if __name__ == "__main__":
    sys.exit(main())
