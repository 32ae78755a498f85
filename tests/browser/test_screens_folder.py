"""Screenshots go to this run's own temporary folder, never to one folder every run shares."""

from __future__ import annotations

import os


def test_screenshots_go_to_this_runs_temporary_folder(screens_dir, tmp_path_factory):
    if os.environ.get("SCREENS_DIR"):
        assert str(screens_dir) == os.environ["SCREENS_DIR"]
    else:
        assert screens_dir == tmp_path_factory.getbasetemp() / "screens"
