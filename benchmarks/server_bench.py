"""Pages served for real: gunicorn (2 sync workers), PostgreSQL, Redis, production settings, 50 clients.

    python -m benchmarks --suite server

Creates its own database (``awards_bench_server`` next to DATABASE_URL's), fills it with
benchmarks/seed.py, collects the static files into a scratch folder, starts gunicorn with
``DJANGO_DEBUG=0`` (a throwaway secret key, allowed hosts 127.0.0.1) and the benchmark URLconf
(benchmarks/urls.py, the only place the ceiling view exists), and drives each page with 50
concurrent clients for a few seconds (benchmarks/load.py). Every page is reported as requests per
second, p50 and p99, and as a ratio to the ceiling measured in the same run: the ceiling is a bare
view returning a constant string under the same server and middleware, so on a shared, noisy
machine the ratio is the figure to read. Each page is driven three times, each time right after
the ceiling, and the round with the median ratio is shown with its own ceiling. Redis database 8 (BENCH_REDIS_URL) serves as cache and
broker. Nothing here asserts a time.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import dj_database_url

from benchmarks.load import LoadResult, drive

BASE_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
CLIENTS = 50
WORKERS = 2
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/awards_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/8"


@dataclass
class Page:
    name: str
    path: str
    target: float | None = None  # the least ratio to the ceiling the page should reach
    signed_in: bool = False
    headers: dict[str, str] | None = None
    expect: int = 200


@dataclass
class Row:
    page: Page
    load: LoadResult
    queries: list[int]
    # The ceiling driven just before this page: on a shared machine the capacity drifts during a run,
    # so each page is compared with the ceiling of its own moment.
    ceiling_rps: float = 0.0


PAGES = [
    Page("ceiling (constant string)", "/bench-ceiling/"),
    Page("site home /", "/", 0.8),
    Page("jurisdiction home /<slug>/", "/keqiao/", 0.8),
    Page("rules /<slug>/rules/", "/keqiao/rules/", 0.8),
    Page("publicity /<slug>/publicity/", "/keqiao/publicity/", 0.8),
    Page("office dashboard, 1,000 apps", "/keqiao/office/cycles/{office_year}/", 0.2, signed_in=True),
    Page("office list filtered (htmx), 1,000", "/keqiao/office/cycles/{office_year}/?state=submitted&q="
         + quote("公司"), 0.2, signed_in=True, headers={"HX-Request": "true"}),
    Page("office cycles list", "/keqiao/office/cycles/", 0.2, signed_in=True),
    Page("shortlist, 500 apps", "/keqiao/office/cycles/{review_year}/review/shortlist/", 0.1, signed_in=True),
    Page("evaluation, 500 apps", "/keqiao/office/cycles/{review_year}/review/evaluation/", 0.1, signed_in=True),
]


def bench_environment() -> dict[str, str]:
    """Production settings for the server and the seeding process, on the run's own database."""
    source = dj_database_url.parse(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    database = (f"postgres://{source['USER'] or 'postgres'}@{source['HOST'] or '127.0.0.1'}:"
                f"{source['PORT'] or 5432}/awards_bench_server")
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="benchmark-only-" + os.urandom(16).hex(),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database,
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
        DJANGO_MANIFEST_STATIC="1",
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONPATH=str(BASE_DIR),
    )
    return env


def _recreate_database(url: str) -> None:
    import psycopg

    parts = dj_database_url.parse(url)
    name = parts["NAME"]
    if not name.startswith("awards_bench"):
        raise SystemExit(f"refusing to drop {name}: the benchmark only uses awards_bench* databases")
    with psycopg.connect(host=parts["HOST"], port=parts["PORT"] or 5432, user=parts["USER"], dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    parts = dj_database_url.parse(url)
    with psycopg.connect(host=parts["HOST"], port=parts["PORT"] or 5432, user=parts["USER"], dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts["NAME"]}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _wait_until_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz/")


def _headers(page: Page, seeded: dict) -> dict[str, str]:
    headers = dict(page.headers or {})
    if page.signed_in:
        headers["Cookie"] = f"{seeded['session_cookie']}={seeded['session']}"
    return headers


class Server:
    """gunicorn as production runs it (config.wsgi, sync workers), started and stopped by its own pid."""

    def __init__(self, env: dict[str, str], workers: int = WORKERS):
        self.env, self.workers, self.port = env, workers, _free_port()
        self.process: subprocess.Popen[str] | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "config.wsgi", "--bind", f"{HOST}:{self.port}",
             "--workers", str(self.workers), "--backlog", "2048", "--timeout", "120"],
            cwd=BASE_DIR, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        _wait_until_up(self.port)
        return self

    def __exit__(self, *exc) -> None:
        assert self.process is not None  # started in __enter__
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def prepare(env: dict[str, str], scratch: Path, out: Callable[[str], None]) -> dict:
    """A fresh database with the benchmark's data, and static files collected as in production."""
    _recreate_database(env["DATABASE_URL"])
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=BASE_DIR,
                   env=env, check=True)
    pages_file = scratch / "pages.json"
    pages_file.write_text(json.dumps([
        {"name": p.name, "path": p.path, "signed_in": p.signed_in, "headers": p.headers or {}} for p in PAGES
    ]), encoding="utf-8")
    seeded_file = scratch / "seeded.json"
    out(f"  seeding {env['DATABASE_URL'].rsplit('/', 1)[1]} (production settings)")
    subprocess.run([sys.executable, "-m", "benchmarks.seed", str(seeded_file), str(pages_file)], cwd=BASE_DIR,
                   env=env, check=True)
    return json.loads(seeded_file.read_text(encoding="utf-8"))


def run(out: Callable[[str], None], seconds: float = 3.0, keep: bool = False,
        public_only: bool = False) -> tuple[list[Row], dict, dict]:
    """Serve and drive every page, then time the documents; `public_only` drives the ceiling and the
    pages anyone may read, and skips the signed-in pages and the documents (a quicker look)."""
    env = bench_environment()
    pages = [p for p in PAGES if not (public_only and p.signed_in)]
    with tempfile.TemporaryDirectory(prefix="awards-bench-") as scratch:
        env["BENCH_STATIC_ROOT"] = str(Path(scratch) / "static")
        seeded = prepare(env, Path(scratch), out)
        rows = []
        try:
            with Server(env) as server:
                out(f"  gunicorn: {WORKERS} sync workers on port {server.port}; {CLIENTS} clients, "
                    f"{seconds:.0f} s per page")
                ceiling_page = pages[0]
                ceiling_rps = 0.0
                for page in pages:
                    path = page.path.format(**seeded)
                    if page is ceiling_page:
                        result = drive(HOST, server.port, path, clients=CLIENTS, seconds=seconds)
                        ceiling_rps = result.rps
                    else:
                        result, ceiling_rps = _alternating(server.port, ceiling_page.path, path,
                                                           _headers(page, seeded), seconds)
                    unexpected = {s: n for s, n in result.statuses.items() if s != page.expect}
                    if unexpected:
                        out(f"  {page.name}: unexpected statuses {unexpected}")
                    rows.append(Row(page, result, seeded["queries"].get(page.name, []), ceiling_rps))
                    out(f"  {page.name:<38}{result.rps:>8.0f} req/s")
            if public_only:
                return rows, seeded, env
            out("  documents and the comprehensive report (benchmarks/report_bench.py)")
            env["DJANGO_MEDIA_ROOT"] = str(Path(scratch) / "media")
            subprocess.run([sys.executable, "-m", "benchmarks.report_bench", str(Path(scratch) / "report.json"),
                            str(Path(scratch) / "seeded.json")], cwd=BASE_DIR, env=env, check=True)
            seeded["report"] = json.loads((Path(scratch) / "report.json").read_text(encoding="utf-8"))
        finally:
            if not keep:
                drop_database(env["DATABASE_URL"])
    return rows, seeded, env


ROUNDS = 3


def _alternating(port: int, ceiling_path: str, path: str, headers: dict[str, str],
                 seconds: float) -> tuple[LoadResult, float]:
    """The page driven ROUNDS times, each right after the ceiling: the round with the median ratio
    is reported, with its ceiling, so one noisy window on a shared machine decides nothing."""
    rounds = []
    for _round in range(ROUNDS):
        ceiling = drive(HOST, port, ceiling_path, clients=CLIENTS, seconds=seconds).rps
        result = drive(HOST, port, path, headers=headers, clients=CLIENTS, seconds=seconds)
        rounds.append((result.rps / ceiling if ceiling else 0.0, result, ceiling))
    rounds.sort(key=lambda r: r[0])
    _ratio, result, ceiling = rounds[len(rounds) // 2]
    return result, ceiling


REPORT_TARGET_SECONDS = 3.0
WORKER_MEMORY_TARGET_MB = 150


def table(rows: list[Row], seeded: dict, out: Callable[[str], None]) -> None:
    """One table: each page's figures and its ratio to the ceiling driven just before it, then the
    documents."""
    out("")
    out(f"{'page (50 clients, gunicorn 2 workers)':<38}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'KiB':>7}"
        f"{'queries':>9}{'ceiling':>9}{'ratio':>8}{'target':>8}  met")
    for row in rows:
        load, page = row.load, row.page
        ratio = load.rps / row.ceiling_rps if row.ceiling_rps else 0
        queries = "/".join(str(q) for q in sorted(set(row.queries))) or "-"
        target = f"{page.target:.2f}" if page.target else "-"
        met = "-" if page.target is None else ("yes" if ratio >= page.target else "NO")
        out(f"{page.name:<38}{load.rps:>8.0f}{load.p50:>9.0f}{load.p99:>9.0f}{load.body_bytes / 1024:>7.0f}"
            f"{queries:>9}{row.ceiling_rps:>9.0f}{ratio:>8.3f}{target:>8}  {met}")
    report = seeded.get("report")
    if not report:
        return
    out("")
    out(f"{'document (worker process, real templates)':<44}{'seconds':>9}{'KiB':>8}{'target':>8}  met")
    for name, figures in report["documents"].items():
        out(f"{name + ' (PDF)':<44}{figures['seconds']:>9.2f}{figures['bytes'] / 1024:>8.0f}{'-':>8}  -")
    for kind, label in (("xlsx", "comprehensive report, 500 apps (Excel)"),
                        ("pdf", "comprehensive report, 500 apps (PDF)")):
        figures = report["report"][kind]
        met = "yes" if figures["seconds"] <= REPORT_TARGET_SECONDS else "NO"
        out(f"{label:<44}{figures['seconds']:>9.2f}{figures['bytes'] / 1024:>8.0f}"
            f"{REPORT_TARGET_SECONDS:>7.0f}s  {met}")
    memory = report["report"]
    kept = memory.get("worker_kept_mb", memory["rss_after_mb"])
    replaced = (f"; over the {memory['limit_mb']:.0f} MB per-child limit, so Celery replaces the child: the worker "
                "keeps a fresh one" if memory.get("replaced") else "")
    out(f"worker memory: {memory['rss_before_mb']:.0f} MB before the report, peak {memory['peak_mb']:.0f} MB, "
        f"{memory['rss_after_mb']:.0f} MB after{replaced}; kept {kept:.0f} MB "
        f"(target under {WORKER_MEMORY_TARGET_MB} MB: {'yes' if kept < WORKER_MEMORY_TARGET_MB else 'NO'})")
