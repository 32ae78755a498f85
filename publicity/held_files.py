"""Files an objector chose on a form refused for another reason (a wrong ID number, the sum): kept on
the server and offered again, so that nothing entered is lost.

A file is held only after it passed the same checks as a filed one (type by content, size). The
re-shown form carries a signed token per field, never a path or an id anyone could guess; a token
is honoured for HOLD_SECONDS and only in the jurisdiction it was made in. Filing the objection
copies the file into the objection and forgets the held one; `purge` removes what was abandoned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import timezone

from awards.uploads import UploadRefused, check_upload
from jurisdictions.models import Jurisdiction

from .models import HeldFile

SALT = "publicity.held-file"
HOLD_SECONDS = 24 * 3600


@dataclass
class Held:
    token: str
    name: str


def hold(jurisdiction: Jurisdiction, uploaded: UploadedFile) -> Held | None:
    """Keep a chosen file that passes the upload checks; None for one that does not (its own error says why)."""
    try:
        content_type, _digest = check_upload(uploaded, already_stored_bytes=0)
    except UploadRefused:
        return None
    uploaded.seek(0)
    held = HeldFile.objects.create(jurisdiction=jurisdiction, file=uploaded, content_type=content_type,
                                   original_name=(uploaded.name or "")[-200:], size=uploaded.size or 0)
    return Held(signing.dumps({"id": held.pk, "j": jurisdiction.pk}, salt=SALT), held.original_name)


def _held_file(jurisdiction: Jurisdiction, token: str) -> HeldFile | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=HOLD_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("j") != jurisdiction.pk or not isinstance(data.get("id"), int):
        return None
    return HeldFile.objects.filter(pk=data["id"], jurisdiction=jurisdiction).first()


def restore(jurisdiction: Jurisdiction, token: str) -> tuple[UploadedFile, Held] | None:
    """The held file behind a token, as an upload the form can take again."""
    held = _held_file(jurisdiction, token)
    if held is None:
        return None
    with held.file.open("rb") as f:
        content = f.read()
    return SimpleUploadedFile(held.original_name, content, content_type=held.content_type), Held(token, held.original_name)


def forget(jurisdiction: Jurisdiction, tokens: list[str]) -> None:
    for token in tokens:
        held = _held_file(jurisdiction, token)
        if held is not None:
            held.file.delete(save=False)
            held.delete()


def purge(now: dt.datetime | None = None) -> int:
    """Remove held files older than HOLD_SECONDS (abandoned forms)."""
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=HOLD_SECONDS)
    old = list(HeldFile.objects.filter(held_at__lt=cutoff))
    for held in old:
        held.file.delete(save=False)
        held.delete()
    return len(old)
