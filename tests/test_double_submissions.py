"""Double clicks and simultaneous posts: no server error and no duplicate, a clear message instead."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone
from django_scopes import scope

from awards import services
from awards.models import AwardCycle
from awards.refusals import ServiceError
from jurisdictions.models import Role
from reviews import groups
from reviews.models import Affiliation, ReviewAgency
from tests.conftest import make_user


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_cycle_creations_make_one_cycle_and_nine_clear_refusals(loaded):
    office = make_user("kq-office-race", loaded["keqiao"], Role.OFFICE)
    now = timezone.now()
    start = threading.Barrier(10)
    outcomes: list[str] = []

    def create() -> None:
        # A thread starts with no scope open; each stands where a keqiao request stands.
        try:
            start.wait()
            with scope(jurisdiction=loaded["keqiao"]):
                services.create_cycle(loaded["keqiao"], year=2031, actor=office, applications_open_at=now,
                                      applications_close_at=now + dt.timedelta(days=30))
            outcomes.append("created")
        except services.ServiceError as exc:
            outcomes.append(f"{exc.field}: {exc.message}")
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["created"] + ["year: 2031 年度的评审已经存在。"] * 9
    assert AwardCycle.objects.filter(jurisdiction=loaded["keqiao"], year=2031).count() == 1


@pytest.mark.django_db
def test_an_agency_registered_twice_is_one_agency_and_the_second_time_says_so(loaded):
    people = [make_user(f"dq-rev-double-{i}", loaded["daqing"], Role.REVIEWER) for i in range(3)]
    groups.register_agency(loaded["daqing"], name="大庆卓越质量评价中心", uscc="", contract_note="",
                           reviewers=people)
    with pytest.raises(ServiceError) as second:
        groups.register_agency(loaded["daqing"], name=" 大庆卓越质量评价中心 ", uscc="", contract_note="",
                               reviewers=people)
    assert (second.value.field, second.value.message) == (
        "name", "已登记同名的第三方评审机构“大庆卓越质量评价中心”，无需重复登记。")
    assert ReviewAgency.objects.filter(jurisdiction=loaded["daqing"]).count() == 1
    # Another jurisdiction may register an agency of the same name.
    groups.register_agency(loaded["keqiao"], name="大庆卓越质量评价中心", uscc="", contract_note="", reviewers=[])


@pytest.mark.django_db
def test_the_same_affiliation_posted_twice_is_one_declaration_with_the_message_next_to_the_field(client, loaded):
    reviewer = make_user("kq-rev-double", loaded["keqiao"], Role.REVIEWER)
    client.force_login(reviewer)
    data = {"kind": "client", "organization_name": "柯桥某客户有限公司", "uscc": "", "note": ""}
    assert client.post("/keqiao/reviewer/affiliations/", data).status_code == 302
    again = client.post("/keqiao/reviewer/affiliations/", data)
    assert again.status_code == 200
    assert again.context["form"].errors["organization_name"] == ["您已申报过与“柯桥某客户有限公司”的这一关系，无需重复申报。"]
    assert Affiliation.objects.filter(reviewer=reviewer).count() == 1
