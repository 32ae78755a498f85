"""Thin Celery tasks of the jurisdictions app: they take plain values or ids and call domain code."""

from __future__ import annotations

import uuid

from celery import shared_task
from django_scopes import scopes_disabled

from .outbox import deliver


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_mail_task(self, subject: str, body: str, to: list[str], html_body: str | None = None) -> int:
    """Send one email, at most once however often the task is delivered (see outbox.py). Used for
    password resets and notifications, so a slow mail server never holds a web request."""
    # A task run outside a worker (called directly) has no id: it is its own message.
    key = self.request.id or f"direct-{uuid.uuid4()}"
    # Every task opens its scope where it starts; the outbox itself holds no tenant-owned rows.
    with scopes_disabled():
        return deliver(key, subject, body, to, html_body)
