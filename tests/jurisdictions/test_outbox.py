"""Each outgoing mail is recorded and sent at most once per message key."""

from __future__ import annotations

import pytest
from django.core import mail

from jurisdictions.models import OutboxMessage
from jurisdictions.outbox import deliver

pytestmark = pytest.mark.django_db


def test_the_same_key_delivered_twice_sends_one_mail():
    assert deliver("task-1", "提醒", "正文", ["a@example.cn"]) == 1
    assert deliver("task-1", "提醒", "正文", ["a@example.cn"]) == 0
    assert [m.subject for m in mail.outbox] == ["提醒"]
    row = OutboxMessage.objects.get(key="task-1")
    assert (row.recipients, row.attempts, row.sent_at is not None) == (["a@example.cn"], 1, True)


def test_a_refused_send_releases_the_claim_so_the_retry_can_send(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    with pytest.raises(OSError):
        deliver("task-2", "提醒", "正文", ["a@example.cn"])
    row = OutboxMessage.objects.get(key="task-2")
    assert (row.claimed_at, row.sent_at, row.attempts) == (None, None, 1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver("task-2", "提醒", "正文", ["a@example.cn"]) == 1
    assert OutboxMessage.objects.get(key="task-2").attempts == 2
