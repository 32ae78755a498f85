"""Production settings plus one benchmark-only URL: the ceiling view (benchmarks/urls.py).

Used only by ``python -m benchmarks`` (the gunicorn it starts and the process that seeds its
database); config.settings never routes to the ceiling, so production cannot reach it. Collected
static files go to a scratch folder of the run (BENCH_STATIC_ROOT), not the project's.
"""

import os
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import STATIC_ROOT

ROOT_URLCONF = "benchmarks.urls"
STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"]) if "BENCH_STATIC_ROOT" in os.environ else STATIC_ROOT
