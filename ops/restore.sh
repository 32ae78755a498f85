#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh into an EMPTY database: ops/restore.sh DUMP MEDIA_ARCHIVE
#
# Checks the two files against the .sha256 written beside them (when present), restores the dump
# into DATABASE_URL (which must exist and hold no tables: create it with createdb first) and unpacks
# the uploads into DJANGO_MEDIA_ROOT (default ./media). Stops at the first error.
set -euo pipefail

dump=${1:?usage: ops/restore.sh DUMP MEDIA_ARCHIVE}
archive=${2:?usage: ops/restore.sh DUMP MEDIA_ARCHIVE}
: "${DATABASE_URL:?set DATABASE_URL to the empty database to restore into}"
media=${DJANGO_MEDIA_ROOT:-media}

stamp=$(basename "$dump" .dump); stamp=${stamp#awards-}
sums="$(dirname "$dump")/backup-$stamp.sha256"
if [ -f "$sums" ]; then
    (cd "$(dirname "$dump")" && sha256sum --check --quiet "$(basename "$sums")")
fi

tables=$(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
    echo "refusing to restore: the target database already has $tables tables" >&2
    exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$dump"
mkdir -p "$media"
tar -xzf "$archive" -C "$media"
echo "restored $dump and $archive"
