"""Checks on uploaded files: type by content (not by name), size per file and per application."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Sum
from django.utils.translation import gettext as _

ALLOWED = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPG"}


class UploadRefused(ValueError):
    pass


def sniff_content_type(head: bytes) -> str | None:
    """What the bytes are, whatever the file is called."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def human_size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(n, 0) / 1024:.0f} KB"


def check_upload(uploaded: UploadedFile, *, already_stored_bytes: int) -> tuple[str, str]:
    """Return (content_type, sha256) or raise UploadRefused with a Chinese reason."""
    max_file = settings.AWARDS_MAX_FILE_BYTES
    max_total = settings.AWARDS_MAX_APPLICATION_BYTES
    size = uploaded.size or 0
    if size == 0:
        raise UploadRefused(_("文件“%(name)s”是空文件，请重新选择。") % {"name": uploaded.name})
    if size > max_file:
        raise UploadRefused(
            _("文件“%(name)s”大小为 %(size)s，超过单个文件上限 %(max)s。")
            % {"name": uploaded.name, "size": human_size(size), "max": human_size(max_file)}
        )
    if already_stored_bytes + size > max_total:
        raise UploadRefused(
            _("本次上传后申报材料合计将超过 %(max)s 的上限，请压缩或删除部分文件。") % {"max": human_size(max_total)}
        )
    uploaded.seek(0)
    content_type = sniff_content_type(uploaded.read(16))
    if content_type is None:
        raise UploadRefused(
            _("文件“%(name)s”的内容不是 PDF、JPG 或 PNG（系统按文件内容判断，而非扩展名）。") % {"name": uploaded.name}
        )
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return content_type, digest.hexdigest()


def stored_bytes(application) -> int:
    return application.files.aggregate(total=Sum("size"))["total"] or 0
