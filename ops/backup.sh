#!/usr/bin/env bash
# Back up the database and the uploaded files: ops/backup.sh DIR
#
# Writes DIR/awards-<UTC time>.dump (pg_dump custom format: every table, with the history tables,
# the audit events and the document hashes), DIR/media-<UTC time>.tar.gz (MEDIA_ROOT: the uploads and
# generated PDFs) and DIR/backup-<UTC time>.sha256 to check both before a restore.
# Reads DATABASE_URL and DJANGO_MEDIA_ROOT (default ./media) from the environment, as the site does.
# In the production compose setup run it inside the web container (see docs/operations.md).
set -euo pipefail

dir=${1:?usage: ops/backup.sh DIR}
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
media=${DJANGO_MEDIA_ROOT:-media}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dir"

dump="$dir/awards-$stamp.dump"
archive="$dir/media-$stamp.tar.gz"
# --no-owner/--no-privileges: the dump restores under whichever role the restoring site uses.
pg_dump --format=custom --no-owner --no-privileges --file="$dump" "$DATABASE_URL"
if [ -d "$media" ]; then
    tar -czf "$archive" -C "$media" .
else
    tar -czf "$archive" --files-from /dev/null
fi
(cd "$dir" && sha256sum "$(basename "$dump")" "$(basename "$archive")" > "backup-$stamp.sha256")
echo "$dump"
echo "$archive"
