"""The floor: a bare Rasa bot (intent greet -> utter_greet) on the same Rasa and machine, trained once.

It has a second intent, goodbye, only because DIET refuses to train on a single intent ("Need at least 2
different intent classes"), and a bot without an intent classifier would not be a fair floor. Measured: greet.

Its model is cached under .cache/bench-floor/ by the hash of its files and the Rasa version, so `make bench`
trains it only the first time (about a minute). It keeps Rasa's SQL tracker store (SQLite), like our assistant,
so the ratio shows what our pipeline, policies, actions and channels add on top of Rasa itself.
"""
from __future__ import annotations

import hashlib
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "bench-floor"

FILES = {
    "config.yml": """recipe: default.v1
language: en
assistant_id: bench-floor
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: DIETClassifier
    epochs: 10
    random_seed: 1
policies:
  - name: MemoizationPolicy
  - name: RulePolicy
""",
    "domain.yml": """version: "3.1"
intents:
  - greet
  - goodbye
responses:
  utter_greet:
    - text: "Hei!"
  utter_goodbye:
    - text: "Ha det!"
session_config:
  session_expiration_time: 60
  carry_over_slots_to_new_session: true
""",
    "data/nlu.yml": """version: "3.1"
nlu:
  - intent: greet
    examples: |
      - hei
      - hallo
      - heisann
      - god dag
      - hei der
  - intent: goodbye
    examples: |
      - ha det
      - hadet bra
      - farvel
      - vi snakkes
      - ha en fin dag
""",
    "data/rules.yml": """version: "3.1"
rules:
  - rule: greet
    steps:
      - intent: greet
      - action: utter_greet
  - rule: goodbye
    steps:
      - intent: goodbye
      - action: utter_goodbye
""",
    "endpoints.yml": """tracker_store:
  type: SQL
  url: ${TRACKER_STORE_URL}
""",
    "credentials.yml": "rest:\n",
}


def _version_key() -> str:
    import rasa

    digest = hashlib.sha256(rasa.__version__.encode())
    for name in sorted(FILES):
        digest.update(name.encode() + FILES[name].encode())
    return digest.hexdigest()[:12]


def floor_project() -> tuple[Path, Path]:
    """(project dir, trained model); trains into the cache when no model for these files exists yet."""
    project = CACHE / _version_key()
    model = project / "models" / "floor.tar.gz"
    for name, text in FILES.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
    if not model.exists():
        started = time.monotonic()
        print("bench: training the floor bot once (cached in .cache/bench-floor/)", flush=True)
        subprocess.run([str(REPO / ".venv" / "bin" / "rasa"), "train", "--fixed-model-name", "floor", "--out",
                        "models", "--quiet"], cwd=project, check=True)
        print(f"bench: floor trained in {time.monotonic() - started:.0f} s", flush=True)
    return project, model
