"""Key events reach the people concerned: in the app (with an unread count in the header) and by
e-mail through the outbox, once per event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from awards import reminders, services
from awards.states import AppState
from jurisdictions.models import Notification, OutboxMessage
from jurisdictions.notifications import notify
from reviews import groups
from tests.awards.builders import organization, published_cycle, ready_draft
from tests.conftest import make_user
from tests.reviews.pool_builders import in_pool

pytestmark = pytest.mark.django_db


def url(name: str, slug: str = "keqiao", **kwargs) -> str:
    return reverse(name, kwargs={"jurisdiction": slug, **kwargs})


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def filed(loaded, cast, django_capture_on_commit_callbacks):
    cycle = published_cycle(loaded["keqiao"], cast["office"])
    org = organization(loaded["keqiao"], name="柯桥通知测试有限公司")
    user = org.users.get()
    with django_capture_on_commit_callbacks(execute=True):
        app = services.submit(ready_draft(cycle, org, user), user)
    return app, user


def test_a_submission_tells_the_applicant_and_the_office_in_the_app_and_by_mail(filed, cast):
    app, applicant = filed
    mine = Notification.objects.get(user=applicant)
    assert mine.kind == Notification.Kind.SUBMITTED
    assert mine.title == f"申报已提交：{app.cycle.title}"
    assert f"受理编号{app.number}" in mine.body
    assert mine.link == url("application-edit", pk=app.pk)
    office = Notification.objects.get(user=cast["office"])
    assert office.title == "收到新的申报：柯桥通知测试有限公司"
    assert office.link == url("office-application", pk=app.pk)
    # Nobody of another jurisdiction hears of it.
    assert not Notification.objects.filter(user=cast["other_office"]).exists()
    sent = {tuple(m.to): m for m in mail.outbox}
    assert sent[(applicant.email,)].subject == f"【柯桥区政府质量奖】申报已提交：{app.cycle.title}"
    assert url("application-edit", pk=app.pk) in sent[(applicant.email,)].body
    assert (cast["office"].email,) in sent
    assert OutboxMessage.objects.filter(sent_at__isnull=False).count() == len(mail.outbox) == 2


def test_each_decision_notifies_the_applicant_once(loaded, django_capture_on_commit_callbacks):
    # Daqing returns an application for completion (第十三条).
    daqing = loaded["daqing"]
    office = make_user("dq-n-office", daqing, "office")
    cycle = published_cycle(daqing, office)
    org = organization(daqing, name="大庆通知测试有限公司")
    applicant = org.users.get()
    with django_capture_on_commit_callbacks(execute=True):
        app = services.submit(ready_draft(cycle, org, applicant), applicant)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_eligibility(app, office, AppState.RETURNED, reason="请补充推荐意见原件",
                                    returned_until=timezone.now() + dt.timedelta(days=5))
    returned = Notification.objects.get(user=applicant, kind=Notification.Kind.RETURNED)
    assert returned.title.startswith("申报退回补正") and "请补充推荐意见原件" in returned.body
    with django_capture_on_commit_callbacks(execute=True):
        app = services.submit(app, applicant)
    # The office hears of the corrected filing as such.
    assert Notification.objects.filter(user=office, title="补正后重新提交：大庆通知测试有限公司").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_eligibility(app, office, AppState.INELIGIBLE, reason="近3年有质量监督抽查不合格记录。")
    decided = Notification.objects.get(user=applicant, kind=Notification.Kind.DECIDED)
    assert decided.title == "资格审查结果：资格审查未通过"
    assert decided.body == "近3年有质量监督抽查不合格记录。"
    # Two submissions, one return, one decision for the applicant.
    assert Notification.objects.filter(user=applicant).count() == 4


def test_the_same_event_never_notifies_twice(loaded, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify([cast["applicant"]], loaded["keqiao"], kind="result", key="event-1", title="评审结果")
        again = notify([cast["applicant"]], loaded["keqiao"], kind="result", key="event-1", title="评审结果")
    assert (len(first), again) == (1, [])
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_an_assignment_tells_the_group(loaded, cast, django_capture_on_commit_callbacks):
    keqiao = loaded["keqiao"]
    cycle = published_cycle(keqiao, cast["office"])
    org = organization(keqiao, name="柯桥分配测试有限公司")
    user = org.users.get()
    app = services.decide_eligibility(services.submit(ready_draft(cycle, org, user), user), cast["office"],
                                      AppState.ELIGIBLE)
    leader = make_user("kq-n-leader", keqiao, "reviewer", first_name="组长")
    member = make_user("kq-n-member", keqiao, "reviewer", first_name="评审员甲")
    third = make_user("kq-n-third", keqiao, "reviewer", first_name="评审员乙")
    in_pool(keqiao, leader, member, third)
    group = groups.form_group(cycle, name="第一评审组", leader=leader, members=[member, third], actor=cast["office"])
    with django_capture_on_commit_callbacks(execute=True):
        groups.assign(app, group, "document", cast["office"])
    told = Notification.objects.filter(kind=Notification.Kind.ASSIGNED)
    assert {n.user for n in told} == {leader, member, third}
    assert told.first().title == "新的评审任务：柯桥分配测试有限公司（资料评审）"
    assert {tuple(m.to) for m in mail.outbox} >= {(leader.email,), (member.email,)}


def test_a_deadline_reminder_is_listed_in_the_app_without_a_second_mail(loaded, cast, django_capture_on_commit_callbacks):
    cycle = published_cycle(loaded["keqiao"], cast["office"], closes_in_days=5)
    org = organization(loaded["keqiao"])
    ready_draft(cycle, org, org.users.get())
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_close_reminders() == 1
        assert reminders.send_close_reminders() == 0
    reminder = Notification.objects.get(kind=Notification.Kind.DEADLINE)
    assert "7天后截止" in reminder.title
    assert len(mail.outbox) == 1


def test_the_header_counts_unread_and_the_list_marks_them_read(filed, cast):
    app, applicant = filed
    client = as_user(applicant)
    home = client.get(url("applicant-home")).content.decode()
    assert '<span class="count-badge" aria-hidden="true">1</span>' in home
    page = client.get(url("notifications"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "申报已提交" in html and "未读" in html
    notification = Notification.objects.get(user=applicant)
    opened = client.get(url("notification-open", notification_id=notification.pk))
    assert opened["Location"] == url("application-edit", pk=app.pk)
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "count-badge" not in client.get(url("applicant-home")).content.decode()
    # Another person's notification, or one asked for under another jurisdiction, is not found.
    office_note = Notification.objects.get(user=cast["office"])
    assert client.get(url("notification-open", notification_id=office_note.pk)).status_code == 404
    assert as_user(cast["office"]).get(url("notification-open", slug="zhuji", notification_id=office_note.pk)).status_code == 404


def test_mark_all_read(filed, cast):
    client = as_user(cast["office"])
    response = client.post(url("notifications"), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["已将1条通知标为已读。"]
    assert not Notification.objects.filter(user=cast["office"], read_at__isnull=True).exists()


def test_the_list_asks_anonymous_visitors_to_sign_in(client, loaded):
    response = client.get(url("notifications"))
    assert response.status_code == 302 and "/keqiao/accounts/login/" in response["Location"]
