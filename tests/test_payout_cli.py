"""The command line, run as a user would: python -m actions.payout ..."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "actions.payout", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


def test_text() -> None:
    out = run("yrkesskade", "men", "--age", "50", "--degree", "100", "--date", "2025-06-01")
    assert out.returncode == 0, out.stderr
    assert "4,5 G × 0,92 (aldersjustering, 50 år) = 4,14 G ≈ 538 862 kr (G = 130 160 kr fra 1. mai 2025)" in out.stdout
    assert "Dette er et anslag." in out.stdout


def test_nynorsk_and_explicit_g() -> None:
    out = run("yrkesskade_lov", "ervervsuforhet", "--age", "60", "--degree", "100", "--income", "300000",
              "--g", "58778", "--nynorsk")
    assert out.returncode == 0, out.stderr
    assert "387 935 kr" in out.stdout and "Dette er eit overslag." in out.stdout


def test_json() -> None:
    out = run("yrkesskade", "dodsfall", "--age", "50", "--survivors", "ektefelle", "--children", "3,7",
              "--date", "2025-06-01", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["inputs"]["survivors"] == ["ektefelle", "barn"]
    assert data["total_g"] == 18.5 and data["g"]["amount"] == 130160


def test_bad_arguments_exit_2_without_traceback() -> None:
    for args in (["yrkesskade", "men", "--age", "150", "--degree", "50"], ["yrkesskade", "men", "--degree", "50"],
                 ["nope", "men"], ["yrkesskade", "men", "--age", "x"], ["gruppeliv", "men", "--age", "50"],
                 ["fritidsulykke", "men", "--degree", "50", "--date", "1990-01-01"],
                 ["fritidsulykke", "men", "--degree", "50", "--date", "1. mai"]):
        out = run(*args)
        assert out.returncode == 2, args
        assert "Traceback" not in out.stderr and ("Feil" in out.stderr), (args, out.stderr)
    assert "mellom 15 og 100" in run("yrkesskade", "men", "--age", "150", "--degree", "50").stderr
