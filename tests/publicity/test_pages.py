"""The public publicity pages (cached, conditional, closed by the clock, no identity) and the office's handling."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from awards.states import AppState
from jurisdictions.models import Role
from publicity import held_files, objections
from publicity.models import HeldFile, Objection
from tests.awards.builders import pdf_upload
from tests.conftest import make_user
from tests.publicity.builders import VALID_ID, filed, published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.OBJECTION_MIN_FILL_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def url(slug, name, **kwargs):
    return reverse(name, kwargs={"jurisdiction": slug, **kwargs})


def form_fields(client, path) -> dict:
    page = client.get(path).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    a, b = map(int, re.search(r"(\d+) 加 (\d+) 等于几", page).groups())
    return {"token": token, "answer": str(a + b)}


def objection_post(notice, app, **extra) -> dict:
    data = {"entry": notice.entries.get(application=app).pk, "kind": "person", "name": "张三", "id_number": VALID_ID,
            "contact": "13800000000", "email": "zhangsan@example.cn", "text": "该企业去年发生过重大质量事故。",
            "evidence": pdf_upload("报道.pdf")}
    data.update(extra)
    return data


def test_the_public_reads_a_running_notice_with_its_period_contact_and_how_to_object(client, loaded):
    notice, _office, apps = published(loaded["daqing"])
    listing = client.get(url("daqing", "publicity")).content.decode()
    assert notice.title in listing and "正在公示" in listing
    page = client.get(url("daqing", "publicity-notice", notice_id=notice.pk)).content.decode()
    for app in apps:
        assert app.organization.name in page
    assert "第十八条" in page and "0459-1234567" in page and "匿名异议不予受理" in page and "在线提出异议" in page
    assert "市级主要新闻媒体和相关网站" in page
    home = client.get(url("daqing", "tenant-home") if _has("tenant-home") else "/daqing/").content.decode()
    assert notice.title in home
    assert notice.title in client.get("/").content.decode()
    pdf = client.get(url("daqing", "publicity-notice-pdf", notice_id=notice.pk))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def _has(name: str) -> bool:
    from django.urls import NoReverseMatch
    try:
        reverse(name, kwargs={"jurisdiction": "daqing"})
    except NoReverseMatch:
        return False
    return True


def test_publicity_ends_by_the_clock_with_no_worker(client, loaded, settings):
    eight_days_ago = timezone.now() - dt.timedelta(days=8)
    notice, _office, (app, _b) = published(loaded["daqing"], now=eight_days_ago)
    assert notice.ended_at is None                       # no beat task has run
    page = client.get(url("daqing", "publicity-notice", notice_id=notice.pk)).content.decode()
    assert "公示已于" in page and "在线提出异议" not in page
    form = client.get(url("daqing", "publicity-object", notice_id=notice.pk)).content.decode()
    assert "不能再在线提出异议" in form and 'name="text"' not in form
    posted = client.post(url("daqing", "publicity-object", notice_id=notice.pk), objection_post(notice, app))
    assert posted.status_code == 200 and not Objection.objects.exists()
    assert notice.title not in client.get("/").content.decode()


def test_a_repeated_request_is_answered_304_and_the_cached_page_changes_with_an_outcome(client, loaded,
                                                                                      django_capture_on_commit_callbacks):
    notice, office, (app, _b) = published(loaded["binjiang"])
    path = url("binjiang", "publicity-notice", notice_id=notice.pk)
    first = client.get(path)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    objection, _code = filed(notice, app)
    objections.decide_acceptance(objection, office, accept=True)
    objections.record_report(objection, office, report="查证属实。")
    with django_capture_on_commit_callbacks(execute=True):
        objections.decide_outcome(objection, office, upheld=True, reason="查证属实")
    assert app.__class__.objects.get(pk=app.pk).state == AppState.DISQUALIFIED
    changed = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert "已取消拟授奖资格" in changed.content.decode()


def test_an_objection_filed_online_gets_a_receipt_and_is_looked_up_without_an_account(client, loaded):
    notice, _office, (app, _b) = published(loaded["daqing"])
    path = url("daqing", "publicity-object", notice_id=notice.pk)
    response = client.post(path, objection_post(notice, app, **form_fields(client, path)))
    page = response.content.decode()
    number = re.search(r'id="receipt-number">([^<]+)<', page).group(1)
    code = re.search(r'id="receipt-code" class="mono">([^<]+)<', page).group(1)
    objection = Objection.objects.get()
    assert objection.number == number and objection.kind == "person"
    status = client.post(url("daqing", "publicity-lookup"), {"number": number, "code": code}).content.decode()
    assert "已收到，待受理审查" in status and VALID_ID not in status
    wrong = client.post(url("daqing", "publicity-lookup"), {"number": number, "code": "AAAA-BBBB-CCCC"})
    assert "异议编号或查询码不正确" in wrong.content.decode() and "待受理审查" not in wrong.content.decode()


def test_the_objector_adds_evidence_online_until_its_deadline(client, loaded):
    notice, office, (app, _b) = published(loaded["daqing"])
    objection, code = filed(notice, app)
    lookup = url("daqing", "publicity-lookup")
    who = {"number": objection.number, "code": code}
    # Before the decision on acceptance: added to the filing, and the status page says so.
    page = client.post(lookup, {**who, "action": "evidence", "evidence": pdf_upload("补充报道.pdf"),
                                "note": "当地媒体报道"}).content.decode()
    assert "补充材料已收到" in page and "异议人在线补充了证明材料：补充报道.pdf。当地媒体报道" in page
    assert objection.files.filter(original_name="补充报道.pdf").exists()
    # Nothing chosen: refused next to the field, the status still shown.
    empty = client.post(lookup, {**who, "action": "evidence"}).content.decode()
    assert "请选择要补充的证明材料" in empty and "异议人在线补充了证明材料" in empty
    # Investigated: counted as the objector's evidence before its deadline; after it, refused.
    objections.decide_acceptance(objection, office, accept=True, reason="材料齐全，予以受理。")
    day = timezone.localdate() + dt.timedelta(days=5)
    objections.assign_investigation(objection, office, investigators=["王专家"], candidate_due=day, objector_due=day)
    client.post(lookup, {**who, "action": "evidence", "evidence": pdf_upload("检测报告.pdf")})
    objection.refresh_from_db()
    assert objection.objector_evidence_at is not None
    assert objection.files.get(original_name="检测报告.pdf").kind == "objector_evidence"
    Objection.objects.filter(pk=objection.pk).update(objector_due_at=timezone.now() - dt.timedelta(minutes=1))
    late = client.post(lookup, {**who, "action": "evidence", "evidence": pdf_upload("迟到.pdf")}).content.decode()
    assert "举证期限" in late and "补充证明材料（PDF" not in late
    assert not objection.files.filter(original_name="迟到.pdf").exists()
    # Without the right code nothing is added.
    client.post(lookup, {"number": objection.number, "code": "AAAA-BBBB-CCCC", "action": "evidence",
                         "evidence": pdf_upload("冒名.pdf")})
    assert not objection.files.filter(original_name="冒名.pdf").exists()


def test_bad_input_is_answered_next_to_the_field_and_nothing_typed_is_lost(client, loaded):
    notice, _office, (app, _b) = published(loaded["daqing"])
    path = url("daqing", "publicity-object", notice_id=notice.pk)
    bad_id = client.post(path, objection_post(notice, app, id_number="110105194912310021",
                                              **form_fields(client, path))).content.decode()
    assert "身份证号码无效" in bad_id and "第二十一条" in bad_id and "该企业去年发生过重大质量事故。" in bad_id
    anonymous = client.post(path, objection_post(notice, app, kind="anonymous", name="", id_number="",
                                                 **form_fields(client, path))).content.decode()
    assert "以匿名方式提出的异议不予受理" in anonymous
    org = client.post(path, objection_post(notice, app, kind="organization", name="某协会", address="某路1号",
                                           **form_fields(client, path))).content.decode()
    assert "加盖本单位公章" in org and "某协会" in org
    wrong_sum = client.post(path, objection_post(notice, app, token=form_fields(client, path)["token"],
                                                 answer="999")).content.decode()
    assert "算式结果不正确" in wrong_sum and "该企业去年发生过重大质量事故。" in wrong_sum
    assert not Objection.objects.exists()


def test_a_file_chosen_on_a_refused_form_is_kept_and_filed_with_the_corrected_objection(client, loaded, settings,
                                                                                        tmp_path):
    settings.MEDIA_ROOT = tmp_path
    notice, _office, (app, _b) = published(loaded["daqing"])
    path = url("daqing", "publicity-object", notice_id=notice.pk)
    refused = client.post(path, objection_post(notice, app, id_number="110105194912310021",
                                               **form_fields(client, path))).content.decode()
    assert "身份证号码无效" in refused
    assert "已保留上次选择的文件：报道.pdf" in refused and "需要重新选择" not in refused
    token = re.search(r'name="held_evidence" value="([^"]+)"', refused).group(1)
    assert HeldFile.objects.count() == 1
    # A token from another jurisdiction's page, or a forged one, brings nothing.
    assert held_files.restore(loaded["keqiao"], token) is None
    assert held_files.restore(loaded["daqing"], token + "x") is None
    # The corrected post chooses no file: the held one is filed with the objection, then forgotten.
    data = objection_post(notice, app, **form_fields(client, path))
    del data["evidence"]
    receipt = client.post(path, {**data, "held_evidence": token}).content.decode()
    assert 'id="receipt-number"' in receipt
    objection = Objection.objects.get()
    assert [f.original_name for f in objection.files.all()] == ["报道.pdf"]
    assert objection.files.get().file.read().startswith(b"%PDF")
    assert HeldFile.objects.count() == 0
    # An abandoned held file is removed after a day.
    client.post(path, objection_post(notice, app, id_number="110105194912310021", **form_fields(client, path)))
    assert HeldFile.objects.count() == 1
    assert held_files.purge(timezone.now() + dt.timedelta(days=1, minutes=1)) == 1
    assert HeldFile.objects.count() == 0


def test_spam_is_refused_and_the_form_is_rate_limited_per_address(client, loaded, settings):
    settings.OBJECTION_FILINGS_PER_ADDRESS_LIMIT = 1
    notice, _office, (app, other) = published(loaded["daqing"])
    path = url("daqing", "publicity-object", notice_id=notice.pk)
    honeypot = client.post(path, objection_post(notice, app, website="http://spam", **form_fields(client, path)))
    assert "提交未能完成" in honeypot.content.decode() and not Objection.objects.exists()
    replay = form_fields(client, path)
    assert client.post(path, objection_post(notice, app, **replay), REMOTE_ADDR="10.0.0.9").status_code == 200
    assert Objection.objects.count() == 1
    reused = client.post(path, objection_post(notice, app, **replay), REMOTE_ADDR="10.0.0.8").content.decode()
    assert "已经提交过" in reused and Objection.objects.count() == 1
    limited = client.post(path, objection_post(notice, other, text="另一条异议内容。", **form_fields(client, path)),
                          REMOTE_ADDR="10.0.0.9")
    assert limited.status_code == 429 and "另一条异议内容。" in limited.content.decode()
    assert Objection.objects.count() == 1
    elsewhere = client.post(path, objection_post(notice, other, **form_fields(client, path)), REMOTE_ADDR="10.0.0.7")
    assert elsewhere.status_code == 200 and Objection.objects.count() == 2


def test_the_objectors_identity_is_absent_from_public_pages(client, loaded):
    notice, office, (app, _b) = published(loaded["daqing"])
    objection, _code = filed(notice, app)
    objections.decide_acceptance(objection, office, accept=True)
    pages = [client.get(url("daqing", "publicity")), client.get(url("daqing", "publicity-notice", notice_id=notice.pk)),
             client.get("/"), client.get("/daqing/")]
    for response in pages:
        text = response.content.decode()
        for secret in ("张三", VALID_ID, "110***********002X", "13800000000", "zhangsan@example.cn"):
            assert secret not in text


def test_the_office_handles_an_objection_and_only_its_handler_sees_the_full_id_number(client, loaded,
                                                                                   django_capture_on_commit_callbacks):
    notice, office, (app, _b) = published(loaded["daqing"])
    colleague = make_user("dq-office-2", loaded["daqing"], Role.OFFICE, first_name="李", last_name="")
    objection, _code = filed(notice, app)
    client.force_login(colleague)
    page = client.get(url("daqing", "office-objection", objection_id=objection.pk)).content.decode()
    assert "110***********002X" in page and VALID_ID not in page and "张三" in page
    client.force_login(office)
    path = url("daqing", "office-objection", objection_id=objection.pk)
    unconfirmed = client.post(path, {"action": "accept", "accept-decision": "refuse", "accept-reason": "无关"})
    assert unconfirmed.status_code == 200 and Objection.objects.get().state == Objection.State.RECEIVED
    no_reason = client.post(path, {"action": "accept", "accept-decision": "refuse", "accept-confirm": "on"})
    assert "不予受理须写明理由" in no_reason.content.decode()
    client.post(path, {"action": "take"})
    assert VALID_ID in client.get(path).content.decode()
    client.post(path, {"action": "accept", "accept-decision": "accept", "accept-confirm": "on"})
    assert Objection.objects.get().state == Objection.State.ACCEPTED
    client.post(path, {"action": "investigate", "investigate-investigators": "王专家 教授\n李专家 高工",
                       "investigate-candidate_due": "2099-01-10", "investigate-objector_due": "2099-01-10"})
    assert Objection.objects.get().investigators == ["王专家 教授", "李专家 高工"]
    client.post(path, {"action": "report", "report-report": "经调查，问题属实。"})
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(path, {"action": "outcome", "outcome-outcome": "upheld", "outcome-reason": "查证属实",
                                  "outcome-confirm": "on"})
    assert done.status_code == 302
    assert app.__class__.objects.get(pk=app.pk).state == AppState.DISQUALIFIED
    letter = client.get(url("daqing", "office-objection-letter", objection_id=objection.pk, kind="outcome"))
    assert letter["Content-Type"] == "application/pdf"
    client.force_login(colleague)
    assert VALID_ID not in client.get(path).content.decode()


def test_another_tenants_objection_and_notice_answer_404(client, loaded):
    notice, _office, (app, _b) = published(loaded["daqing"])
    objection, _code = filed(notice, app)
    client.force_login(make_user("kq-office-404", loaded["keqiao"], Role.OFFICE))
    assert client.get(url("keqiao", "office-objection", objection_id=objection.pk)).status_code == 404
    assert client.get(url("keqiao", "publicity-notice", notice_id=notice.pk)).status_code == 404
    assert client.get(url("keqiao", "publicity-object", notice_id=notice.pk)).status_code == 404


def test_the_office_publishes_the_notice_after_confirming(client, loaded):
    from tests.publicity.builders import proposed_cycle

    cycle, office, apps = proposed_cycle(loaded["lucheng"])
    client.force_login(office)
    path = url("lucheng", "office-publicity")
    page = client.get(path).content.decode()
    assert apps[0].organization.name in page and "第十四条（五）" in page
    unconfirmed = client.post(path, {"cycle": cycle.pk, "contact": "电话 0577-1"}).content.decode()
    assert "电话 0577-1" in unconfirmed and not cycle.notices.exists()
    assert client.post(path, {"cycle": cycle.pk, "contact": "电话 0577-1", "confirm": "on"}).status_code == 302
    assert cycle.notices.get().entries.count() == 2
    assert client.get(url("lucheng", "publicity")).status_code == 200
