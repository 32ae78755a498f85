"""Real Celery worker processes, fed through Redis, run our tasks against the test database."""

from __future__ import annotations

import email
import email.policy
import hashlib
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings as django_settings
from django.db import connection

from honours import signing
from honours.models import Certificate
from honours.tasks import issue_certificate_task
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


def _start_workers(tmp_path: Path, count: int) -> tuple[list[subprocess.Popen], Path, list[Path]]:
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "DJANGO_DEBUG": "1",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(mail_dir),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # The same demo signing certificate as this process, so its signatures check here.
        "HONOURS_DEMO_SIGNING_DIR": str(django_settings.HONOURS_DEMO_SIGNING_DIR),
    }
    processes, logs = [], []
    for n in range(count):
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool=solo", "--concurrency=1", "-Q", "celery", "--loglevel=INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            f"--hostname=test-{uuid.uuid4().hex[:8]}-{n}@%h",
        ]  # fmt: skip
        log_path = tmp_path / f"worker-{n}.log"
        with log_path.open("wb") as log:
            processes.append(subprocess.Popen(
                command, cwd=django_settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
            ))
        logs.append(log_path)
    return processes, mail_dir, logs


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _needs_services(settings, app) -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL: a worker cannot share SQLite or memory://")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Messages left in this Redis database by an interrupted earlier run must not be picked up.
    app.control.purge()


@pytest.fixture
def worker(transactional_db, settings, tmp_path, eager_off):
    _needs_services(settings, eager_off)
    processes, mail_dir, logs = _start_workers(tmp_path, 1)
    try:
        yield {"process": processes[0], "mail_dir": mail_dir, "log": logs[0]}
    finally:
        _stop(processes)


@pytest.fixture
def two_workers(transactional_db, settings, tmp_path, eager_off):
    """Two worker processes on the same queue: a task sent twice may run on both at once."""
    _needs_services(settings, eager_off)
    processes, mail_dir, logs = _start_workers(tmp_path, 2)
    try:
        yield {"processes": processes, "mail_dir": mail_dir, "logs": logs}
    finally:
        _stop(processes)


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


def test_two_worker_processes_issuing_one_certificate_at_once_make_one_serial_and_one_file(two_workers, loaded):
    from tests.honours.test_certificates import awarded

    _cycle, _office, apps = awarded(loaded, "keqiao")
    pk = apps[0].pk
    first, second = issue_certificate_task.delay(pk), issue_certificate_task.delay(pk)
    for result in (first, second):
        try:
            assert result.get(timeout=120) is True
        except CeleryTimeoutError:
            logs = "\n".join(log.read_text() for log in two_workers["logs"])
            pytest.fail(f"no result within 120 s; worker logs:\n{logs}")
    rows = list(Certificate.objects.filter(application_id=pk))
    assert len(rows) == 1
    cert = rows[0]
    assert cert.state == Certificate.State.READY and cert.attempts >= 1
    assert signing.check_signature(bytes(cert.pdf)).valid
    assert hashlib.sha256(bytes(cert.pdf)).hexdigest() == cert.sha256
    # Both sends ran (with the one the approval itself queued: three runs on two workers, on one after
    # the other or on both at once) and still made one file.
    received = [re.findall(r"issue_certificate_task\[([0-9a-f-]+)\] received", log.read_text())
                for log in two_workers["logs"]]
    assert {first.id, second.id} <= {task for log in received for task in log}, received
    assert all(received), "each worker process ran at least one of them"

