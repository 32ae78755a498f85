"""The zero-setup demo (no DATABASE_URL) runs on SQLite configured for concurrent writers: WAL, a
busy timeout and IMMEDIATE transactions, so fast autosaves wait for the lock instead of failing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Eight threads, each running read-then-write transactions as a save does. With SQLite's default
# DEFERRED transactions two readers that both try to write fail at once with "database is locked"
# (the busy timeout cannot help a lock upgrade); with IMMEDIATE they queue.
SCRIPT = r"""
import json, threading
import django
django.setup()
from django.conf import settings
from django.db import connection, connections, transaction

options = settings.DATABASES["default"]["OPTIONS"]
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, n INTEGER)")
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
errors = []

def work():
    try:
        for _ in range(15):
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT COUNT(*) FROM item")
                    n = cursor.fetchone()[0]
                    cursor.execute("INSERT INTO item (n) VALUES (%s)", [n])
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connections.close_all()

threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT COUNT(*) FROM item")
    rows = cursor.fetchone()[0]
print(json.dumps({"engine": settings.DATABASES["default"]["ENGINE"], "options": options,
                  "journal": journal, "rows": rows, "errors": errors}))
"""


def test_demo_sqlite_takes_concurrent_read_then_write_transactions(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings",
                "SQLITE_PATH": str(tmp_path / "demo.sqlite3")})
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["engine"] == "django.db.backends.sqlite3"
    assert answer["options"]["transaction_mode"] == "IMMEDIATE"
    assert answer["options"]["timeout"] == 20
    assert answer["journal"] == "wal"
    assert answer["errors"] == []
    assert answer["rows"] == 8 * 15
