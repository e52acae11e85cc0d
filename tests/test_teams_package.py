"""`make teams-package`: the Teams app package has a valid manifest and the two icons at its root."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile

import pytest
from PIL import Image

from scripts.teams_package import ManifestError, build, check, fill, settings_from
from tests.support.servers import REPO

APP_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
ENV = {"MICROSOFT_APP_ID": APP_ID, "TEAMS_VALID_DOMAINS": "forsikring.helse-vest.no, bot.helse-vest.no",
       "TEAMS_APP_NAME": "Forsikringsassistenten"}


def test_package_has_manifest_and_icons(tmp_path) -> None:
    out = tmp_path / "app.zip"
    build(out, ENV)
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
        color = Image.open(io.BytesIO(package.read("color.png")))
        outline = Image.open(io.BytesIO(package.read("outline.png")))
    assert check(manifest) == []
    assert manifest["$schema"].endswith("/v1.19/MicrosoftTeams.schema.json") and manifest["manifestVersion"] == "1.19"
    assert manifest["id"] == APP_ID and manifest["bots"][0]["botId"] == APP_ID
    assert manifest["validDomains"] == ["forsikring.helse-vest.no", "bot.helse-vest.no"]
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert "${" not in json.dumps(manifest)
    assert color.size == (192, 192) and outline.size == (32, 32)
    # The outline icon is white on transparent, as Teams requires.
    pixels = outline.convert("RGBA").getdata()
    assert {p[:3] for p in pixels if p[3] > 0} <= {(255, 255, 255)} and any(p[3] == 0 for p in pixels)


def test_separate_teams_app_id_is_used() -> None:
    manifest = fill(json.loads((REPO / "teams/manifest.template.json").read_text()),
                    settings_from({**ENV, "TEAMS_APP_ID": "11111111-2222-3333-4444-555555555555"}))
    assert manifest["id"] == "11111111-2222-3333-4444-555555555555" and manifest["bots"][0]["botId"] == APP_ID


@pytest.mark.parametrize("change, problem", [
    ({"MICROSOFT_APP_ID": ""}, "GUID"),
    ({"TEAMS_APP_VERSION": "1.0"}, "MAJOR.MINOR.PATCH"),
    ({"TEAMS_APP_NAME": "F" * 31}, "name.short"),
    ({"TEAMS_PRIVACY_URL": "http://helse-vest.no"}, "https"),
    ({"TEAMS_VALID_DOMAINS": "https://forsikring.helse-vest.no/"}, "host name"),
])
def test_bad_settings_are_named(tmp_path, change, problem) -> None:
    with pytest.raises(ManifestError, match=problem):
        build(tmp_path / "app.zip", {**ENV, **change})


def test_make_target_builds_the_package() -> None:
    env = {**os.environ, **ENV}
    result = subprocess.run([sys.executable, "scripts/teams_package.py"], cwd=REPO, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (REPO / "teams/build/forsikringsassistenten.zip").exists()
    missing = subprocess.run([sys.executable, "scripts/teams_package.py", "--out", "/dev/null"], cwd=REPO,
                             env={k: v for k, v in env.items() if k not in ("MICROSOFT_APP_ID", "TEAMS_APP_ID")},
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and "MICROSOFT_APP_ID" in missing.stderr
