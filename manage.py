#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # With no database configured this is a developer's checkout (SQLite demo): default to debug so
    # plain `python manage.py ...` works. Production always sets DATABASE_URL, so it is never affected.
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
