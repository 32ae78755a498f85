"""A real Celery worker process, fed through Redis, runs our task against the test database."""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings as django_settings
from django.db import connection

from jurisdictions.models import OutboxMessage
from jurisdictions.tasks import send_mail_task

pytestmark = pytest.mark.worker

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def _test_database_url() -> str:
    # The worker must see what this test commits, so it gets the test database, not the real one.
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.fixture
def eager_off():
    from config.celery import app

    # The Celery app copied its configuration from settings at import, so the autouse fixture's
    # settings.CELERY_TASK_ALWAYS_EAGER = True does not reach it either way: set it on the app.
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        app.conf.task_always_eager = previous


@pytest.fixture
def worker(transactional_db, settings, tmp_path, eager_off):
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL: a worker cannot share SQLite or memory://")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app = eager_off
    # Messages left in this Redis database by an interrupted earlier run must not be picked up.
    app.control.purge()

    mail_dir = tmp_path / "mail"
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "DJANGO_DEBUG": "1",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(mail_dir),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "--pool=solo", "--concurrency=1", "-Q", "celery", "--loglevel=INFO",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        f"--hostname=test-{uuid.uuid4().hex[:8]}@%h",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=django_settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        yield {"process": process, "mail_dir": mail_dir, "log": log_path}
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _result(async_result, worker) -> int:
    try:
        return async_result.get(timeout=60)
    except CeleryTimeoutError:
        alive = worker["process"].poll() is None
        pytest.fail(f"no result within 60 s (worker alive: {alive}); worker log:\n{worker['log'].read_text()}")


def _sent_messages(mail_dir: Path) -> list[email.message.EmailMessage]:
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for raw in path.read_bytes().split(SEPARATOR):
            if raw.strip():
                messages.append(email.message_from_bytes(raw, policy=email.policy.default))
    return messages


def _subject(message: email.message.EmailMessage) -> str:
    # A long encoded subject is written as "Subject:" followed by folded lines; the whitespace
    # before the first encoded word is folding, not part of the subject.
    return str(message["Subject"]).lstrip()


def test_worker_sends_the_mail(worker):
    subject = f"【柯桥区政府质量奖】现场评审报告提交提醒 {uuid.uuid4().hex[:6]}"
    async_result = send_mail_task.delay(subject, "请于5个工作日内提交现场评审报告。", ["kq-office@example.cn"])
    assert _result(async_result, worker) == 1
    assert async_result.status == "SUCCESS"

    [message] = _sent_messages(worker["mail_dir"])
    assert _subject(message) == subject
    assert message["To"] == "kq-office@example.cn"
    assert message["From"] == django_settings.DEFAULT_FROM_EMAIL
    assert message.get_content().strip() == "请于5个工作日内提交现场评审报告。"


def test_a_redelivered_mail_task_sends_its_message_once(worker):
    """Celery delivers at least once (acks_late): a task redelivered with the same id, as after a
    worker crash, finds its message in the outbox and sends nothing more."""
    subject = f"【诸暨市政府质量奖】材料补正通知 {uuid.uuid4().hex[:6]}"
    task_id = f"redelivered-{uuid.uuid4()}"
    args = (subject, "请补正申报材料。", ["zj-applicant@example.cn"])
    first = send_mail_task.apply_async(args, task_id=task_id)
    assert _result(first, worker) == 1
    send_mail_task.apply_async(args, task_id=task_id)
    # The redelivery's result would be read back under the first run's id, so wait for a later task
    # instead: the solo worker runs them in order, so once it is done the redelivery has run.
    sentinel = send_mail_task.delay("sentinel", "-", ["b@example.cn"])
    assert _result(sentinel, worker) == 1

    messages = _sent_messages(worker["mail_dir"])
    assert sorted(_subject(m) for m in messages) == sorted([subject, "sentinel"])
    assert "redelivered-" in worker["log"].read_text() and worker["log"].read_text().count(task_id) >= 2
    [row] = OutboxMessage.objects.filter(key=task_id)
    assert (row.subject, row.recipients, row.attempts, row.sent_at is not None) == (
        subject, ["zj-applicant@example.cn"], 1, True)
    assert worker["process"].poll() is None


def test_two_messages_with_the_same_text_are_two_mails(worker):
    subject = f"【柯桥区政府质量奖】截止提醒 {uuid.uuid4().hex[:6]}"
    first = send_mail_task.delay(subject, "申报即将截止。", ["a@example.cn"])
    second = send_mail_task.delay(subject, "申报即将截止。", ["a@example.cn"])
    assert [_result(first, worker), _result(second, worker)] == [1, 1]
    assert first.id != second.id
    assert [_subject(m) for m in _sent_messages(worker["mail_dir"])] == [subject, subject]
