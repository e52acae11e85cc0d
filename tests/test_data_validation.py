"""`rasa data validate`: domain, NLU data, rules and stories agree with each other."""
from __future__ import annotations

import subprocess

import pytest

from tests.support.servers import REPO, VENV_BIN


@pytest.mark.slow
def test_rasa_data_validate() -> None:
    result = subprocess.run(
        [str(VENV_BIN / "rasa"), "data", "validate", "--fail-on-warnings"],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
