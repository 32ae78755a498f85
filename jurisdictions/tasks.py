"""Thin Celery tasks of the jurisdictions app: they take plain values or ids and call domain code."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_mail_task(subject: str, body: str, to: list[str], html_body: str | None = None) -> int:
    """Send one email. Used for password resets and notifications, so a slow mail server never
    holds a web request."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, html_message=html_body)
