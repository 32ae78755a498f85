"""Checks on uploaded files: type by content and by name (they must agree), size per file and per
application, and a PDF must parse as one."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Sum
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

ALLOWED = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPG"}
# The extensions a file of each checked content type may carry; the first is the one a name gets.
EXTENSIONS = {"application/pdf": (".pdf",), "image/png": (".png",), "image/jpeg": (".jpg", ".jpeg")}
ALLOWED_EXTENSIONS = {ext for exts in EXTENSIONS.values() for ext in exts}


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


def safe_original_name(name: str | None, content_type: str) -> str:
    """The name shown and offered on download: the last path part, without control characters,
    ending in an extension of the checked content type."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    suffix = PurePosixPath(base).suffix.lower()
    if suffix in EXTENSIONS[content_type]:
        stem = base[: -len(suffix)]
    else:
        stem, suffix = base, EXTENSIONS[content_type][0]
    return f"{stem.strip(' .')[:200] or 'file'}{suffix}"


def _extension(name: str | None) -> str:
    suffix = PurePosixPath(PureWindowsPath(name or "").name).suffix
    return suffix.lower()


def _parses_as_pdf(uploaded: UploadedFile) -> bool:
    uploaded.seek(0)
    try:
        reader = PdfReader(uploaded, strict=False)
        return len(reader.pages) > 0
    except (PyPdfError, ValueError, TypeError, KeyError, OSError, RecursionError):
        return False
    finally:
        uploaded.seek(0)


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
    extension = _extension(uploaded.name)
    if extension not in ALLOWED_EXTENSIONS:
        raise UploadRefused(
            _("文件“%(name)s”的类型不在允许范围内：只接受扩展名为 .pdf、.jpg、.jpeg 或 .png 的文件。")
            % {"name": uploaded.name}
        )
    uploaded.seek(0)
    content_type = sniff_content_type(uploaded.read(16))
    if content_type is None:
        raise UploadRefused(
            _("文件“%(name)s”的内容不是 PDF、JPG 或 PNG（系统按文件内容判断，而非扩展名）。") % {"name": uploaded.name}
        )
    if extension not in EXTENSIONS[content_type]:
        raise UploadRefused(
            _("文件“%(name)s”的扩展名与内容不符：内容是 %(kind)s，请使用正确的扩展名后重新上传。")
            % {"name": uploaded.name, "kind": ALLOWED[content_type]}
        )
    if content_type == "application/pdf" and not _parses_as_pdf(uploaded):
        raise UploadRefused(
            _("文件“%(name)s”不是完整有效的 PDF 文件（无法读取其页面），请重新导出后上传。") % {"name": uploaded.name}
        )
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return content_type, digest.hexdigest()


def stored_bytes(application) -> int:
    return application.files.aggregate(total=Sum("size"))["total"] or 0
