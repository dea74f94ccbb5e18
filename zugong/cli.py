"""The ``zugong`` command: Django management commands behind one entry point.

``zugong serve``, ``zugong demo``, ``zugong import``, ``zugong export`` … are management
commands of ``zugong.core``; any other Django command (``migrate``, ``createsuperuser``) works too.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run ``zugong <command> [options]``; with no command, print the list of commands."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zugong.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["zugong", *argv])
    if len(args) == 1:
        args.append("help")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
