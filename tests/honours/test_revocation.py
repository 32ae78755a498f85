"""The office revokes an issued certificate: a written reason and a confirmation are required, the
public verification page then says it was revoked, when and why; another tenant's office gets 404."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from honours import certificates
from honours.models import Certificate
from jurisdictions.models import Membership, Role
from tests.honours.builders import approve, awaiting_approval

pytestmark = pytest.mark.django_db


def test_the_office_revokes_a_certificate_with_a_reason_and_the_verification_page_says_so(loaded):
    cycle, office, apps, _notice = awaiting_approval(loaded["keqiao"], 1)
    approve(cycle, office)
    cert = certificates.issue(apps[0].pk)
    client = Client()
    client.force_login(office)
    url = f"/keqiao/office/honours/certificates/{cert.pk}/revoke/"
    page = client.get(url).content.decode()
    assert cert.serial in page and "撤销后不能恢复" in page and 'maxlength="' in page

    # No reason, no confirmation: refused, each message next to its field, nothing revoked.
    refused = client.post(url, {"reason": "  "}).content.decode()
    assert "此项为必填项" in refused and "请勾选确认" in refused and refused.count("has-error") == 2
    unconfirmed = client.post(url, {"reason": "弄虚作假"}).content.decode()
    assert "请勾选确认" in unconfirmed
    assert Certificate.objects.get(pk=cert.pk).revoked_on is None

    done = client.post(url, {"reason": "申报材料弄虚作假（第三十一条）", "confirm": "on"})
    assert done.status_code == 302 and done["Location"].endswith(f"/keqiao/office/honours/{cycle.pk}/#certificates")
    cert.refresh_from_db()
    today = timezone.localdate()
    assert cert.revoked_on == today and cert.revoked_by == office and cert.revoked_reason.startswith("申报材料")
    listing = client.get(f"/keqiao/office/honours/{cycle.pk}/").content.decode()
    assert f"已于 {today:%Y-%m-%d} 撤销" in listing

    public = Client().get(f"/verify/{cert.serial}/").content.decode()
    assert f"此证书已于 {today:%Y-%m-%d} 撤销" in public and "申报材料弄虚作假" in public
    assert "此证书真实有效" not in public

    # Twice: the page says it is already revoked; the first reason stands.
    again = client.post(url, {"reason": "另一个理由", "confirm": "on"})
    assert again.status_code == 200 and "此证书已于" in again.content.decode()
    assert Certificate.objects.get(pk=cert.pk).revoked_reason.startswith("申报材料")


def test_another_tenants_office_and_an_applicant_get_404(loaded):
    cycle, office, apps, _notice = awaiting_approval(loaded["keqiao"], 1)
    approve(cycle, office)
    cert = certificates.issue(apps[0].pk)
    url = f"/keqiao/office/honours/certificates/{cert.pk}/revoke/"
    stranger = get_user_model().objects.create_user("zhuji-stranger")
    Membership.objects.create(user=stranger, jurisdiction=loaded["zhuji"], role=Role.OFFICE)
    client = Client()
    client.force_login(stranger)
    assert client.get(f"/zhuji/office/honours/certificates/{cert.pk}/revoke/").status_code == 404
    assert client.post(f"/zhuji/office/honours/certificates/{cert.pk}/revoke/",
                       {"reason": "x", "confirm": "on"}).status_code == 404
    winner = apps[0].organization.users.first()
    if winner is not None:
        client.force_login(winner)
        assert client.post(url, {"reason": "x", "confirm": "on"}).status_code == 404
    assert Certificate.objects.get(pk=cert.pk).revoked_on is None
