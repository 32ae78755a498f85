"""Small things users met: no withdrawal offered on a draft, one colon in a refusal, our wording in
place of Django's default field texts and "---------", and a 404 inside a jurisdiction that keeps
its header."""

from __future__ import annotations

import pytest
from django import forms

from awards import services
from awards.forms_applicant import StartApplicationForm
from awards.states import AppState
from tests.awards.test_applicant_pages import applicant, draft, keqiao_cycle, messages_of, url  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_draft_offers_no_withdrawal_and_a_posted_one_is_refused(client, draft):  # noqa: F811
    edit = client.get(url("keqiao", "application-edit", pk=draft.pk)).content.decode()
    assert url("keqiao", "application-withdraw", pk=draft.pk) not in edit
    page = client.get(url("keqiao", "application-withdraw", pk=draft.pk)).content.decode()
    assert "本申报尚未提交，无需撤回；不再参评的，不提交即可。" in page
    assert "确认撤回" not in page
    refused = client.post(url("keqiao", "application-withdraw", pk=draft.pk), {"reason": "x", "confirm": "on"},
                          follow=True)
    assert messages_of(refused) == ["未能撤回：该申报尚未提交，无需撤回。"]
    draft.refresh_from_db()
    assert draft.state == AppState.DRAFT


def test_a_refused_submission_reads_with_one_colon(client, draft):  # noqa: F811
    with pytest.raises(services.ServiceError) as refused:
        services.submit(draft, draft.organization.users.get())
    assert refused.value.message.startswith("尚缺组织概述、")
    assert "：：" not in refused.value.message


class _Everything(forms.Form):
    text = forms.CharField()
    when = forms.DateField()
    count = forms.IntegerField()
    ticked = forms.BooleanField()
    one = forms.ChoiceField(choices=[("a", "A")])
    many = forms.MultipleChoiceField(choices=[("a", "A")])


def test_fields_say_our_words_not_djangos(loaded):
    from django.contrib.auth import get_user_model

    empty = _Everything({})
    assert not empty.is_valid()
    assert {name: errors[0] for name, errors in empty.errors.items()} == {
        "text": "请填写此项。", "when": "请填写此项。", "count": "请填写此项。", "ticked": "请勾选此项。",
        "one": "请选择一项。", "many": "请至少选择一项。",
    }
    wrong = _Everything({"text": "x", "when": "2026-13-45", "count": "三", "ticked": "on", "one": "z", "many": ["z"]})
    assert not wrong.is_valid()
    assert {name: errors[0] for name, errors in wrong.errors.items()} == {
        "when": "请填写有效的日期，例如 2026-09-28。", "count": "请填写整数。", "one": "请从列表中选择。",
        "many": "请从列表中选择。",
    }
    chooser = forms.ModelChoiceField(queryset=get_user_model().objects.all())
    assert chooser.empty_label == "— 请选择 —"
    assert "---------" not in chooser.widget.render("person", None)
    # A field that names its own message keeps it.
    assert StartApplicationForm(awards=[], organizations=[]).fields["category"].error_messages["required"] \
        == "请选择申报奖项。"


def test_a_404_inside_a_jurisdiction_keeps_its_header(client, loaded):
    response = client.get("/keqiao/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert '<span class="tenant-name">绍兴市柯桥区</span>' in body
    assert 'href="/keqiao/rules/"' in body
    # Outside any jurisdiction the page stays the site's own.
    assert '<span class="tenant-name">' not in client.get("/no-such-page/").content.decode()
