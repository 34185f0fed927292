#!/usr/bin/env python
"""Confide's manage.py; the installed `confide` command is the same thing from any folder."""

from confide.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
