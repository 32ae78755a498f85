"""Outgoing mail, sent at most once per queued message.

Celery delivers a task at least once (acks_late): a worker that dies, or a broker that redelivers,
runs the same task again with the same task id. Each send is recorded under that id and claimed with
a conditional UPDATE before the mail server is contacted, so a redelivered task finds its message
claimed or sent and does nothing. A worker killed between the send and the record leaves the claim
in place: the message is then never sent twice (at most once), and the row shows it for follow-up.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import OutboxMessage


def deliver(key: str, subject: str, body: str, to: list[str], html_body: str | None = None) -> int:
    """Send the message recorded under `key` unless it was already claimed; returns mails sent."""
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(key=key, subject=subject[:300], body=body,
                                                   html_body=html_body or "", recipients=list(to))
    except IntegrityError:
        message = OutboxMessage.objects.get(key=key)
    claimed = OutboxMessage.objects.filter(pk=message.pk, claimed_at__isnull=True, sent_at__isnull=True).update(
        claimed_at=timezone.now(), attempts=message.attempts + 1
    )
    if not claimed:
        return 0
    try:
        sent = send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, list(to), html_message=html_body)
    except OSError:
        # The mail server refused or could not be reached: nothing went out, so a retry may send.
        OutboxMessage.objects.filter(pk=message.pk).update(claimed_at=None)
        raise
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now())
    return sent
