"""`rasa test core` on the end-to-end test stories (tests/test_stories.yml): NLU and policies together."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from tests.support.servers import REPO, VENV_BIN

MODEL = REPO / "models" / "assistant.tar.gz"


@pytest.mark.slow
def test_every_test_story_is_predicted(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(VENV_BIN / "rasa"), "test", "core", "--stories", "tests/test_stories.yml", "--model", str(MODEL),
         "--out", str(tmp_path), "--no-plot"],
        cwd=REPO, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    failed = yaml.safe_load((tmp_path / "failed_test_stories.yml").read_text(encoding="utf-8")) or {}
    assert not failed.get("stories"), (tmp_path / "failed_test_stories.yml").read_text(encoding="utf-8")
    story_count = len(yaml.safe_load((REPO / "tests/test_stories.yml").read_text(encoding="utf-8"))["stories"])
    assert story_count >= 8
