#!/usr/bin/env python
"""Django's manage.py; the ``zugong`` command is the same thing with a shorter name."""

from zugong.cli import main

if __name__ == "__main__":
    main(None)
