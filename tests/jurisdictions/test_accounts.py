"""Tenant accounts: login and its throttle, logout, password change and reset, registration, grants, demo seed."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from awards.models import Application, AwardCycle, Organization
from jurisdictions.grants import can, grant, revoke
from jurisdictions.models import Membership, Role
from reviews.models import Attestation, ReviewGroup, StageResult
from tests.conftest import PASSWORD, make_user

LOGIN = "/keqiao/accounts/login/"
BAD_LOGIN = "用户名或密码不正确。"
LOCKED = "登录失败次数过多，请15分钟后再试。"


@pytest.fixture(autouse=True)
def _fresh_counters():
    # The reset-mail counters live in the shared cache (this run's own Redis database).
    cache.clear()
    yield
    cache.clear()


def login(client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in_username(client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    if user_id is None:
        return None
    return get_user_model().objects.get(pk=user_id).username


def form_errors(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


# --- login ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("office", "/keqiao/office/"),
        ("reviewer", "/keqiao/reviewer/"),
        ("committee", "/keqiao/committee/"),
        ("applicant", "/keqiao/applicant/"),
    ],
)
def test_login_lands_on_the_role_page(client, cast, role, landing):
    response = login(client, cast[role].username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/keqiao/after-login/"
    landed = client.get(response["Location"])
    assert (landed.status_code, landed["Location"]) == (302, landing)
    assert client.get(landing).status_code == 200


def test_login_honours_a_safe_next(client, cast):
    response = client.post(LOGIN, {"username": "kq-office", "password": PASSWORD, "next": "/keqiao/rules/"})
    assert response["Location"] == "/keqiao/rules/"


def test_login_ignores_a_next_to_another_site(client, cast):
    response = client.post(
        LOGIN, {"username": "kq-office", "password": PASSWORD, "next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/keqiao/after-login/"


def test_office_with_several_roles_lands_on_the_office_page(client, cast, loaded):
    Membership.objects.create(user=cast["office"], jurisdiction=loaded["keqiao"], role=Role.REVIEWER)
    login(client, "kq-office", PASSWORD)
    assert client.get("/keqiao/after-login/")["Location"] == "/keqiao/office/"


def test_a_user_without_a_role_here_is_logged_in_and_told_so_without_naming_other_tenants(client, cast):
    response = login(client, "zj-office", PASSWORD)
    assert logged_in_username(client) == "zj-office"
    home = client.get(response["Location"], follow=True)
    assert home.redirect_chain == [("/keqiao/", 302)]
    body = home.content.decode()
    assert "您已登录，但在绍兴市柯桥区没有任何角色。如需办理业务，请联系评审办。" in body
    assert "诸暨" not in body


def test_bad_password_shows_the_chinese_message_and_logs_nobody_in(client, cast):
    response = login(client, "kq-office", "wrong-password")
    assert response.status_code == 200
    assert form_errors(response) == [BAD_LOGIN]
    assert BAD_LOGIN in response.content.decode()
    assert logged_in_username(client) is None


def test_unknown_user_gets_the_same_message(client, cast):
    response = login(client, "nobody-here", "whatever")
    assert form_errors(response) == [BAD_LOGIN]


def test_anonymous_after_login_goes_to_the_tenant_login(client, loaded):
    response = client.get("/keqiao/after-login/")
    assert response["Location"] == "/keqiao/accounts/login/?next=/keqiao/after-login/"


# --- lockout (django-axes) -----------------------------------------------------------------------------
def test_five_failures_lock_the_username_from_that_address_even_for_the_right_password(client, cast):
    for _attempt in range(4):
        assert form_errors(login(client, "kq-office", "wrong-password")) == [BAD_LOGIN]
    # The fifth failure reaches the limit and says so on the same form.
    fifth = login(client, "kq-office", "wrong-password")
    assert (fifth.status_code, form_errors(fifth)) == (200, [LOCKED])
    locked = login(client, "kq-office", PASSWORD)
    assert locked.status_code == 200
    assert form_errors(locked) == [LOCKED]
    assert LOCKED in locked.content.decode()
    assert logged_in_username(client) is None


def test_typing_the_offices_username_elsewhere_does_not_lock_the_office_out(client, cast):
    for _attempt in range(6):
        login(client, "kq-office", "wrong-password", address="198.51.100.7")
    assert form_errors(login(client, "kq-office", PASSWORD, address="198.51.100.7")) == [LOCKED]
    # The office at its own address logs in: the lock is on the (username, address) pair.
    assert login(client, "kq-office", PASSWORD, address="10.1.1.1").status_code == 302
    assert logged_in_username(client) == "kq-office"


def test_four_failures_do_not_lock(client, cast):
    for _attempt in range(4):
        login(client, "kq-office", "wrong-password")
    assert login(client, "kq-office", PASSWORD).status_code == 302
    assert logged_in_username(client) == "kq-office"


def test_a_locked_login_does_not_check_the_password(client, cast):
    for _attempt in range(5):
        login(client, "kq-office", "wrong-password")
    for _attempt in range(3):
        login(client, "kq-office", "wrong-password")
    [attempt] = AccessAttempt.objects.filter(username="kq-office")
    assert (attempt.ip_address, attempt.failures_since_start) == ("127.0.0.1", 5)


def test_failures_from_one_address_lock_that_address_for_every_username(client, cast, settings):
    settings.LOGIN_FAILURE_ADDRESS_LIMIT = 8
    for number in range(7):
        login(client, f"guess-{number}", "wrong-password", address="10.9.9.9")
    # An office behind one shared address is not locked out by a few colleagues' typos...
    assert login(client, "kq-committee", PASSWORD, address="10.9.9.9").status_code == 302
    client.logout()
    login(client, "guess-8", "wrong-password", address="10.9.9.9")
    # ...but a guessing run through many usernames is.
    assert form_errors(login(client, "kq-reviewer", PASSWORD, address="10.9.9.9")) == [LOCKED]
    assert login(client, "kq-reviewer", PASSWORD, address="10.9.9.10").status_code == 302


def test_the_lock_lifts_when_the_window_has_passed(client, cast, settings):
    for _attempt in range(5):
        login(client, "kq-office", "wrong-password")
    assert form_errors(login(client, "kq-office", PASSWORD)) == [LOCKED]
    # The window passing is the failures growing older than it.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timezone.timedelta(seconds=1))
    assert login(client, "kq-office", PASSWORD).status_code == 302


def test_the_window_setting_drives_the_message(client, cast, settings):
    settings.AXES_COOLOFF_TIME = timezone.timedelta(seconds=120)
    for _attempt in range(5):
        login(client, "kq-office", "wrong-password")
    assert form_errors(login(client, "kq-office", PASSWORD)) == ["登录失败次数过多，请2分钟后再试。"]


def test_a_successful_login_clears_the_pairs_count(client, cast):
    for _attempt in range(4):
        login(client, "kq-office", "wrong-password")
    assert login(client, "kq-office", PASSWORD).status_code == 302
    client.logout()
    login(client, "kq-office", "wrong-password")
    # 4 + 1 would be 5 without the reset.
    assert login(client, "kq-office", PASSWORD).status_code == 302


def test_the_site_login_is_locked_too(client, loaded):
    make_user("root", is_superuser=True, is_staff=True)
    for _attempt in range(5):
        client.post("/accounts/login/", {"username": "root", "password": "nope"})
    response = client.post("/accounts/login/", {"username": "root", "password": PASSWORD})
    assert form_errors(response) == [LOCKED]


def test_the_admin_login_is_locked_too_and_shares_the_count(client, loaded):
    make_user("admin", is_superuser=True, is_staff=True)
    for _attempt in range(3):
        client.post("/admin/login/", {"username": "admin", "password": "nope"})
    for _attempt in range(2):
        client.post("/accounts/login/", {"username": "admin", "password": "nope"})
    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_behind_the_trusted_proxy_the_client_address_comes_from_the_forwarded_header(client, cast, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    proxy = "10.0.0.2"
    for _attempt in range(5):
        # Whatever a client writes on the left, the proxy appends the address it saw.
        client.post(LOGIN, {"username": "kq-office", "password": "x"}, REMOTE_ADDR=proxy,
                    HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    # Another client behind the same proxy is not locked.
    ok = client.post(LOGIN, {"username": "kq-office", "password": PASSWORD}, REMOTE_ADDR=proxy,
                     HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert ok.status_code == 302


# --- site-wide login -----------------------------------------------------------------------------------
def test_site_login_sends_a_superuser_to_the_admin(client, loaded):
    make_user("root", is_superuser=True, is_staff=True)
    response = client.post("/accounts/login/", {"username": "root", "password": PASSWORD})
    assert response["Location"] == "/admin/"


def test_site_login_sends_a_member_to_their_first_jurisdiction(client, cast, loaded):
    Membership.objects.create(user=cast["other_office"], jurisdiction=loaded["lucheng"], role=Role.REVIEWER)
    response = client.post("/accounts/login/", {"username": "zj-office", "password": PASSWORD})
    # lucheng sorts before zhuji.
    assert response["Location"] == "/lucheng/after-login/"


# --- logout --------------------------------------------------------------------------------------------
def test_logout_is_a_post_and_returns_to_the_tenant_home(client, cast):
    client.force_login(cast["office"])
    assert client.get("/keqiao/accounts/logout/").status_code == 405
    response = client.post("/keqiao/accounts/logout/")
    assert response["Location"] == "/keqiao/"
    assert logged_in_username(client) is None
    assert client.get("/keqiao/office/")["Location"] == "/keqiao/accounts/login/?next=%2Fkeqiao%2Foffice%2F"


# --- password change -----------------------------------------------------------------------------------
def test_password_change_needs_the_tenant_login(client, loaded):
    response = client.get("/keqiao/accounts/password/change/")
    assert response["Location"] == "/keqiao/accounts/login/?next=/keqiao/accounts/password/change/"


def test_password_change(client, cast):
    client.force_login(cast["office"])
    response = client.post(
        "/keqiao/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "Brand-new-2026!", "new_password2": "Brand-new-2026!"},
    )
    assert response["Location"] == "/keqiao/accounts/password/change/done/"
    assert client.get(response["Location"]).status_code == 200
    client.logout()
    assert form_errors(login(client, "kq-office", PASSWORD)) == [BAD_LOGIN]
    assert login(client, "kq-office", "Brand-new-2026!").status_code == 302


def test_password_change_refuses_a_short_password_in_chinese(client, cast):
    client.force_login(cast["office"])
    response = client.post(
        "/keqiao/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "Kq-1", "new_password2": "Kq-1"},
    )
    assert response.context["form"].errors == {"new_password2": ["密码太短，至少需要8个字符。"]}


def test_password_change_with_a_wrong_old_password_stays_on_the_form(client, cast):
    client.force_login(cast["office"])
    response = client.post(
        "/keqiao/accounts/password/change/",
        {"old_password": "not-it", "new_password1": "Brand-new-2026!", "new_password2": "Brand-new-2026!"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["old_password"]


# --- password reset ------------------------------------------------------------------------------------
def test_password_reset_mail_goes_through_the_task_and_its_link_works(client, cast):
    response = client.post("/keqiao/accounts/password/reset/", {"email": "kq-applicant@example.cn"})
    assert response["Location"] == "/keqiao/accounts/password/reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "【柯桥区政府质量奖】重置密码"
    assert message.to == ["kq-applicant@example.cn"]
    assert "kq-applicant，您好" in message.body
    assert "柯桥区政府质量奖" in message.body
    assert "3天内有效" in message.body
    link = re.search(r"http://testserver(/keqiao/accounts/reset/[^/\s]+/[^/\s]+/)", message.body).group(1)

    form_page = client.get(link)
    assert form_page.status_code == 302
    set_password_url = form_page["Location"]
    assert set_password_url.endswith("/set-password/")
    done = client.post(
        set_password_url, {"new_password1": "Reset-pass-2026!", "new_password2": "Reset-pass-2026!"}
    )
    assert done["Location"] == "/keqiao/accounts/reset/done/"
    complete = client.get(done["Location"])
    assert 'href="/keqiao/accounts/login/"' in complete.content.decode()
    assert login(client, "kq-applicant", "Reset-pass-2026!").status_code == 302
    # A reset link works once.
    client.logout()
    assert client.get(link).context["validlink"] is False


def test_a_reset_link_works_only_under_the_jurisdiction_that_mailed_it(client, cast, loaded):
    # The user holds a role in both places; the link was asked for and mailed under keqiao.
    Membership.objects.create(user=cast["applicant"], jurisdiction=loaded["zhuji"], role=Role.APPLICANT)
    client.post("/keqiao/accounts/password/reset/", {"email": "kq-applicant@example.cn"})
    path = re.search(r"http://testserver/keqiao(/accounts/reset/[^/\s]+/[^/\s]+/)", mail.outbox[0].body).group(1)
    elsewhere = client.get("/zhuji" + path, follow=True)
    assert elsewhere.context["validlink"] is False
    # ...and it still works where it was sent from.
    assert client.get("/keqiao" + path)["Location"].endswith("/set-password/")


def test_reset_mails_are_limited_per_account_and_per_client_address(client, cast, settings):
    settings.RESET_MAIL_PER_ACCOUNT_LIMIT, settings.RESET_MAIL_PER_ADDRESS_LIMIT = 3, 6
    for _attempt in range(5):
        response = client.post("/keqiao/accounts/password/reset/", {"email": "kq-applicant@example.cn"})
        # The same page every time: whether a mail went out stays unsaid.
        assert response["Location"] == "/keqiao/accounts/password/reset/done/"
    assert len(mail.outbox) == 3
    # Every request counts for the address (5 so far): one more request is let through, then none.
    for email in ("kq-office@example.cn", "kq-reviewer@example.cn"):
        client.post("/keqiao/accounts/password/reset/", {"email": email})
    assert [m.to for m in mail.outbox[3:]] == [["kq-office@example.cn"]]
    # From another address that account can still ask.
    client.post("/keqiao/accounts/password/reset/", {"email": "kq-reviewer@example.cn"}, REMOTE_ADDR="10.2.2.2")
    assert mail.outbox[-1].to == ["kq-reviewer@example.cn"]


def test_password_reset_sends_nothing_to_someone_without_a_role_here(client, cast):
    response = client.post("/keqiao/accounts/password/reset/", {"email": "zj-office@example.cn"})
    # Same answer as for a member: whether an address is known here stays unsaid.
    assert response["Location"] == "/keqiao/accounts/password/reset/done/"
    assert mail.outbox == []


def test_password_reset_mail_names_the_tenant_it_was_asked_from(client, cast, loaded):
    Membership.objects.create(user=cast["other_office"], jurisdiction=loaded["keqiao"], role=Role.REVIEWER)
    client.post("/zhuji/accounts/password/reset/", {"email": "zj-office@example.cn"})
    assert [m.subject for m in mail.outbox] == ["【诸暨市政府质量奖】重置密码"]
    assert "/zhuji/accounts/reset/" in mail.outbox[0].body


# --- registration --------------------------------------------------------------------------------------
def registration(**changes) -> dict:
    data = {
        "organisation_name": "绍兴柯桥示例纺织有限公司",
        "uscc": " 9111 0000 6000 3734 1l ",
        "contact_name": "王联系",
        "phone": "0575-84123456",
        "email": "wang@kq-textile.example.cn",
        "username": "kq-textile",
        "password1": "Textile-pass-2026!",
        "password2": "Textile-pass-2026!",
    }
    data.update(changes)
    return data


def test_registration_creates_user_organisation_role_and_grant_and_logs_in(client, loaded):
    response = client.post("/keqiao/register/", registration())
    assert response["Location"] == "/keqiao/applicant/"
    assert logged_in_username(client) == "kq-textile"
    organization = Organization.objects.get(jurisdiction=loaded["keqiao"])
    assert (organization.name, organization.uscc, organization.contact_name, organization.contact_phone) == (
        "绍兴柯桥示例纺织有限公司",
        "91110000600037341L",
        "王联系",
        "0575-84123456",
    )
    user = get_user_model().objects.get(username="kq-textile")
    assert list(organization.users.all()) == [user]
    assert user.email == "wang@kq-textile.example.cn"
    assert list(Membership.objects.filter(user=user).values_list("jurisdiction__slug", "role")) == [
        ("keqiao", "applicant")
    ]
    assert can(user, "awards.change_organization", organization) is True
    landing = client.get("/keqiao/applicant/").content.decode()
    assert "绍兴柯桥示例纺织有限公司" in landing
    assert "91110000600037341L" in landing


def test_registration_errors_sit_next_to_their_fields_and_keep_what_was_typed(client, loaded):
    response = client.post(
        "/keqiao/register/",
        registration(uscc="91110000600037341X", phone="电话", password2="Something-else-2026!"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "uscc": ["统一社会信用代码校验位不正确，请核对后重新输入。"],
        "phone": ["请填写有效的联系电话（手机号或带区号的固定电话）。"],
        "password2": ["两次输入的密码不一致。"],
    }
    body = response.content.decode()
    assert (
        '<ul class="errorlist" id="id_uscc_error"><li>统一社会信用代码校验位不正确，请核对后重新输入。</li></ul>'
        in body
    )
    for kept in (
        "绍兴柯桥示例纺织有限公司",
        "91110000600037341X",
        "王联系",
        "wang@kq-textile.example.cn",
        "kq-textile",
    ):
        assert f'value="{kept}"' in body
    assert "Textile-pass-2026!" not in body
    assert Organization.objects.count() == 0
    assert get_user_model().objects.filter(username="kq-textile").exists() is False


def test_registration_refuses_a_duplicate_code_next_to_the_field(client, loaded):
    Organization.objects.create(jurisdiction=loaded["keqiao"], name="已注册公司", uscc="91110000600037341L")
    response = client.post("/keqiao/register/", registration())
    assert response.context["form"].errors == {
        "uscc": ["该统一社会信用代码已在本辖区注册，请直接登录或联系评审办。"]
    }
    assert logged_in_username(client) is None


def test_registration_refuses_a_taken_username_and_a_weak_password(client, cast):
    response = client.post(
        "/keqiao/register/", registration(username="KQ-OFFICE", password1="123", password2="123")
    )
    errors = response.context["form"].errors
    assert errors["username"] == ["该用户名已被使用，请换一个。"]
    assert errors["password1"] == ["密码太短，至少需要8个字符。", "这个密码太常见了。", "密码只包含数字。"]
    assert list(errors) == ["username", "password1"]


def test_a_double_submit_creates_one_organisation(client, loaded):
    first = client.post("/keqiao/register/", registration())
    assert first.status_code == 302
    client.logout()
    second = client.post("/keqiao/register/", registration())
    assert second.status_code == 200
    assert second.context["form"].errors["uscc"] == [
        "该统一社会信用代码已在本辖区注册，请直接登录或联系评审办。"
    ]
    assert Organization.objects.count() == 1
    assert get_user_model().objects.filter(username="kq-textile").count() == 1


def test_the_registration_page_renders_with_its_fields(client, loaded):
    body = client.get("/keqiao/register/").content.decode()
    for field in (
        "organisation_name",
        "uscc",
        "contact_name",
        "phone",
        "email",
        "username",
        "password1",
        "password2",
    ):
        assert f'name="{field}"' in body


# --- per-object grants ---------------------------------------------------------------------------------
def test_grants_are_per_object(loaded):
    owner = make_user("owner")
    other = make_user("other")
    mine = Organization.objects.create(
        jurisdiction=loaded["keqiao"], name="甲公司", uscc="91110000600037341L"
    )
    theirs = Organization.objects.create(
        jurisdiction=loaded["keqiao"], name="乙公司", uscc="N1330100MA2D3K4P0U"
    )
    assert can(owner, "awards.change_organization", mine) is False
    grant(owner, "awards.change_organization", mine)
    grant(owner, "awards.change_organization", mine)
    owner = get_user_model().objects.get(pk=owner.pk)
    assert can(owner, "awards.change_organization", mine) is True
    assert can(owner, "awards.change_organization", theirs) is False
    assert can(owner, "awards.delete_organization", mine) is False
    assert can(other, "awards.change_organization", mine) is False
    revoke(owner, "awards.change_organization", mine)
    owner = get_user_model().objects.get(pk=owner.pk)
    assert can(owner, "awards.change_organization", mine) is False


def test_a_model_wide_permission_is_not_an_object_grant(loaded):
    user = make_user("global-perm")
    user.user_permissions.add(Permission.objects.get(codename="change_organization"))
    organization = Organization.objects.create(
        jurisdiction=loaded["keqiao"], name="甲公司", uscc="91110000600037341L"
    )
    user = get_user_model().objects.get(pk=user.pk)
    assert user.has_perm("awards.change_organization") is True
    assert can(user, "awards.change_organization", organization) is False


def test_anonymous_holds_no_grant(loaded):
    from django.contrib.auth.models import AnonymousUser

    organization = Organization.objects.create(
        jurisdiction=loaded["keqiao"], name="甲公司", uscc="91110000600037341L"
    )
    assert can(AnonymousUser(), "awards.change_organization", organization) is False


# --- demo seed -----------------------------------------------------------------------------------------
def demo_rows() -> dict[str, list]:
    """What seed_demo leaves, as comparable rows: people, roles, organisations and editions."""
    return {
        "users": sorted(get_user_model().objects.values_list("username", flat=True)),
        "memberships": sorted(Membership.objects.values_list("user__username", "jurisdiction__slug", "role")),
        "organizations": sorted(Organization.objects.values_list("jurisdiction__slug", "name")),
        "cycles": sorted(AwardCycle.objects.values_list("jurisdiction__slug", "year", "state")),
        "applications": sorted(Application.objects.values_list("jurisdiction__slug", "cycle__year", "state")),
    }


def test_seed_demo_runs_twice_and_its_logins_work(client, db, capsys):
    call_command("seed_demo", force=True)
    first = demo_rows()
    call_command("seed_demo", force=True)
    # Run again, it changes nothing: no second copy of a person, a role, an organisation or an edition.
    assert demo_rows() == first
    output = capsys.readouterr().out
    users = get_user_model().objects
    slugs = ["binjiang", "lucheng", "keqiao", "zhuji", "daqing"]
    logins = {"admin"} | {
        f"{s}-{r}" for s in slugs for r in ("office", "reviewer", "leader", "reviewer2", "committee", "applicant")
    }
    assert logins <= set(first["users"])
    assert users.get(username="admin").is_superuser is True
    # Every demo login holds exactly its one role in its own jurisdiction.
    for slug in slugs:
        for role in ("office", "committee", "applicant"):
            assert list(Membership.objects.filter(user__username=f"{slug}-{role}").values_list(
                "jurisdiction__slug", "role")) == [(slug, role)]
    assert Organization.objects.filter(users__username__endswith="-applicant").count() == 5
    year = timezone.localdate().year
    assert {(s, year) for s in slugs} <= {(s, y) for s, y, _state in first["cycles"]}
    # The previous edition is in document review: Daqing's is two years back (每两年评选一次).
    year = timezone.localdate().year
    in_review = dict.fromkeys(slugs, year - 1) | {"daqing": year - 2}
    assert set(AwardCycle.objects.values_list("jurisdiction__slug", "year")) >= (
        {(s, year) for s in slugs} | set(in_review.items())
    )
    for slug, review_year in in_review.items():
        apps = Application.objects.filter(jurisdiction__slug=slug, cycle__year=review_year)
        assert sorted(apps.values_list("state", flat=True)) == ["eligible"] * 4
        group = ReviewGroup.objects.get(cycle__jurisdiction__slug=slug)
        assert sorted(group.members.values_list("reviewer__username", "is_leader")) == [
            (f"{slug}-leader", True), (f"{slug}-reviewer", False), (f"{slug}-reviewer2", False)
        ]
        assert (group.agency is not None) is (slug == "daqing")
        assert group.assignments.filter(stage="document").count() == 4
        assert Attestation.objects.filter(application__in=apps, decision="no_conflict").count() == 9
        assert list(StageResult.objects.filter(application__in=apps).values_list(
            "application__number", "stage", "total", "submitted_by__username"
        )) == [(f"{slug.upper()}-{review_year}-0001", "document", Decimal("641.50"), f"{slug}-leader")]
    assert list(Membership.objects.filter(user__username="zhuji-reviewer2").values_list("role", flat=True)) == [
        "reviewer"
    ]
    applicant = users.get(username="keqiao-applicant")
    organization = Organization.objects.get(users=applicant)
    assert organization.jurisdiction.slug == "keqiao"
    assert can(applicant, "awards.change_organization", organization) is True
    assert list(Membership.objects.filter(user__username="keqiao-leader").values_list("role", flat=True)) == [
        "reviewer"
    ]
    assert "keqiao-committee" in output
    # Each run prints the shared password once per demo login it lists.
    assert output.count("demo-pass-2026") % 2 == 0 and output.count("demo-pass-2026") >= 2 * len(logins)
    response = client.post(LOGIN, {"username": "keqiao-office", "password": "demo-pass-2026"})
    assert client.get(response["Location"])["Location"] == "/keqiao/office/"


def test_seed_demo_refuses_to_run_with_debug_off(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert get_user_model().objects.filter(username="admin").exists() is False
