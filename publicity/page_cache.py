"""The public publicity pages share the public pages' cache (jurisdictions/public_pages.py): served
to visitors who are not signed in from Redis, with ETag / Last-Modified and 304 answers.

What makes a cached copy stale here is a notice published or ended, or an objection's outcome
changing a proposed winner; each calls `forget`, which retires every cached public page (the
site home and the jurisdictions' homes show the running notices too). A notice ends at 24:00, and
the cache key carries the day, so an ended notice is never served as running even when no worker
ran to call `forget`.
"""

from __future__ import annotations

from jurisdictions.public_pages import cached_public_page, forget_public_pages, public_render

__all__ = ["cached", "forget", "public_render"]

cached = cached_public_page


def forget(**_kwargs) -> None:
    """Receiver of publicity.notices.changed."""
    forget_public_pages()
