"""ops/backup.sh and ops/restore.sh: a dump of a seeded database restores into a fresh one with every
row of every table (applications, scores, evaluations, events, history, file hashes) and every file."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def _url(database: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + database))


def _table_fingerprints(url: str) -> dict[str, tuple[int, str]]:
    """Each public table's row count and a digest of all its rows, in a fixed order."""
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        out = {}
        for table in tables:
            count, digest = conn.execute(
                f'SELECT count(*), md5(coalesce(string_agg(t::text, \'|\' ORDER BY t::text), \'\')) FROM "{table}" t'
            ).fetchone()
            out[table] = (count, digest)
        return out


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs PostgreSQL")
def test_a_backup_of_a_seeded_database_restores_every_row_and_file(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_jurisdictions")
    call_command("seed_demo", force=True)
    source = _url(connection.settings_dict["NAME"])
    before = _table_fingerprints(source)
    for table in ("awards_application", "awards_applicationevent", "awards_historicalapplication",
                  "awards_applicationfile", "reviews_stageresult", "reviews_itemscore"):
        assert before[table][0] > 0, f"the seeded database has no rows in {table}"

    env = {**os.environ, "DATABASE_URL": source, "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    made = subprocess.run(["bash", str(ROOT / "ops" / "backup.sh"), str(tmp_path / "backups")], env=env,
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    dump, archive = made.stdout.split()

    target_name = f"{connection.settings_dict['NAME']}_restored"
    target = _url(target_name)
    maintenance = _url("postgres")
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
        conn.execute(f'CREATE DATABASE "{target_name}"')
    try:
        restored_media = tmp_path / "restored-media"
        env = {**os.environ, "DATABASE_URL": target, "DJANGO_MEDIA_ROOT": str(restored_media)}
        restored = subprocess.run(["bash", str(ROOT / "ops" / "restore.sh"), dump, archive], env=env,
                                  capture_output=True, text=True, timeout=300)
        assert restored.returncode == 0, restored.stderr
        assert _table_fingerprints(target) == before

        # Every stored document is back, byte for byte, as its recorded hash says.
        with psycopg.connect(target) as conn:
            files = conn.execute("SELECT file, sha256 FROM awards_applicationfile").fetchall()
        assert files
        for name, sha256 in files:
            assert hashlib.sha256((restored_media / name).read_bytes()).hexdigest() == sha256

        # A second restore into the now full database is refused rather than merged.
        again = subprocess.run(["bash", str(ROOT / "ops" / "restore.sh"), dump, archive], env=env,
                               capture_output=True, text=True, timeout=300)
        assert again.returncode == 1 and "already has" in again.stderr
    finally:
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
