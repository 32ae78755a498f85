"""Telling people what happened to their business: an in-app list and one e-mail per event.

The apps above call `notify` from their workflow effects (awards/notifications.py and the like);
this layer only stores and sends. Each notification is keyed by its event (for example
``application:12:returned:345``, the event's id): the (user, key) row is unique, so an effect run
twice (a retried task, a double click that reached the workflow) notifies nobody twice, and the
e-mail is queued only when the row was created. The mail goes through the outbox
(jurisdictions/outbox.py via send_mail_task), which sends each queued message at most once.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import Jurisdiction, Notification, Role
from .tasks import send_mail_task


def notify(
    users: Iterable[User],
    jurisdiction: Jurisdiction,
    *,
    kind: str,
    key: str,
    title: str,
    body: str = "",
    link: str = "",
    email: bool = True,
) -> list[Notification]:
    """Record the notification for each user who has not had this event yet and queue their mail
    (unless `email` is False: the caller sends its own). Returns the notifications created (none
    for a repeated event)."""
    created = []
    for user in {u.pk: u for u in users if u is not None and u.pk and u.is_active}.values():
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    jurisdiction=jurisdiction, user=user, kind=kind, key=key[:200], title=title[:200],
                    body=body, link=link[:300],
                )
        except IntegrityError:
            continue
        created.append(notification)
        if email and user.email:
            subject, text = mail_for(notification)
            transaction.on_commit(partial(send_mail_task.delay, subject, text, [user.email]))
    return created


def mail_for(notification: Notification) -> tuple[str, str]:
    """The e-mail of a notification, in Chinese (the official language of every office)."""
    jurisdiction = notification.jurisdiction
    with override("zh-hans"):
        subject = _("【%(award)s】%(title)s") % {"award": jurisdiction.award_name_zh, "title": notification.title}
        lines = [notification.body] if notification.body else []
        if notification.link:
            lines.append(_("请登录评审管理系统查看：%(link)s") % {"link": notification.link})
        lines.append(jurisdiction.issuing_body_zh)
    return subject, "\n\n".join(lines)


def office_staff(jurisdiction: Jurisdiction) -> QuerySet[User]:
    """The evaluation office's staff here (those who hold the office role)."""
    return User.objects.filter(
        is_active=True, memberships__jurisdiction=jurisdiction, memberships__role=Role.OFFICE
    ).distinct()


def for_user(user: User, jurisdiction: Jurisdiction) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, jurisdiction=jurisdiction)


def unread_count(user: User, jurisdiction: Jurisdiction) -> int:
    return for_user(user, jurisdiction).filter(read_at__isnull=True).count()


def mark_read(user: User, jurisdiction: Jurisdiction, pks: Iterable[int] | None = None) -> int:
    """Mark the user's notifications here (all, or those in `pks`) as read; returns how many."""
    unread = for_user(user, jurisdiction).filter(read_at__isnull=True)
    if pks is not None:
        unread = unread.filter(pk__in=list(pks))
    return unread.update(read_at=timezone.now())

