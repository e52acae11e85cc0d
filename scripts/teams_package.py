"""Builds the Teams app package (`make teams-package`): teams/build/forsikringsassistenten.zip.

The manifest comes from teams/manifest.template.json with ${NAME} placeholders filled from the environment;
the icons are drawn here with Pillow (color 192x192, outline 32x32 white on transparent), so no binary sits in
the repo. The result is checked for the fields Teams requires before it is zipped. See docs/teams.md.

    MICROSOFT_APP_ID=<guid> TEAMS_VALID_DOMAINS=forsikring.example.no python scripts/teams_package.py
"""
from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import zipfile
from pathlib import Path
from typing import Any, Mapping

from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "teams" / "manifest.template.json"
DEFAULT_OUT = REPO / "teams" / "build" / "forsikringsassistenten.zip"
PLACEHOLDER = re.compile(r"\$\{([A-Z0-9_]+)\}")
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
BLUE = (0, 59, 115, 255)  # the manifest's accentColor #003B73

DEFAULTS = {
    "TEAMS_APP_NAME": "Forsikringsassistenten",
    "TEAMS_APP_VERSION": "1.0.0",
    "TEAMS_DEVELOPER_NAME": "Helse Vest",
    "TEAMS_WEBSITE_URL": "https://helse-vest.no",
    "TEAMS_PRIVACY_URL": "https://helse-vest.no/personvern",
    "TEAMS_TERMS_URL": "https://helse-vest.no",
    "TEAMS_VALID_DOMAINS": "",
}


class ManifestError(ValueError):
    pass


def settings_from(environ: Mapping[str, str]) -> dict[str, str]:
    values = {key: environ.get(key) or default for key, default in DEFAULTS.items()}
    values["MICROSOFT_APP_ID"] = environ.get("MICROSOFT_APP_ID", "")
    # The Teams app id may differ from the bot's; by default the bot's own id is used for both.
    values["TEAMS_APP_ID"] = environ.get("TEAMS_APP_ID") or values["MICROSOFT_APP_ID"]
    return values


def fill(node: Any, values: Mapping[str, str]) -> Any:
    """The template with placeholders filled; a list item that is only ${TEAMS_VALID_DOMAINS} becomes the list."""
    if isinstance(node, dict):
        return {key: fill(value, values) for key, value in node.items()}
    if isinstance(node, list):
        out: list[Any] = []
        for item in node:
            if item == "${TEAMS_VALID_DOMAINS}":
                out.extend(d.strip() for d in values["TEAMS_VALID_DOMAINS"].split(",") if d.strip())
            else:
                out.append(fill(item, values))
        return out
    if isinstance(node, str):
        def replace(match: re.Match) -> str:
            if match.group(1) not in values:
                raise ManifestError(f"unknown placeholder {match.group(0)} in {TEMPLATE.name}")
            return values[match.group(1)]
        return PLACEHOLDER.sub(replace, node)
    return node


def check(manifest: dict) -> list[str]:
    """The problems Teams would refuse the package for (required fields, formats and lengths)."""
    problems = []
    for field in ("$schema", "manifestVersion", "version", "id", "developer", "name", "description", "icons",
                  "accentColor"):
        if not manifest.get(field):
            problems.append(f"missing {field}")
    version = str(manifest.get("manifestVersion", "0"))
    if tuple(int(p) for p in version.split(".")) < (1, 17):
        problems.append(f"manifestVersion {version} is older than 1.17")
    if f"/v{version}/" not in str(manifest.get("$schema", "")):
        problems.append("$schema does not name the manifestVersion")
    if not GUID.match(str(manifest.get("id", ""))):
        problems.append("id must be a GUID (set MICROSOFT_APP_ID or TEAMS_APP_ID)")
    if not re.match(r"^\d+\.\d+\.\d+$", str(manifest.get("version", ""))):
        problems.append("version must be MAJOR.MINOR.PATCH")
    developer = manifest.get("developer") or {}
    for field in ("name", "websiteUrl", "privacyUrl", "termsOfUseUrl"):
        if not developer.get(field):
            problems.append(f"missing developer.{field}")
        elif field != "name" and not str(developer[field]).startswith("https://"):
            problems.append(f"developer.{field} must be https")
    name, description = manifest.get("name") or {}, manifest.get("description") or {}
    if not 0 < len(name.get("short", "")) <= 30:
        problems.append("name.short must be 1-30 characters")
    if len(name.get("full", "")) > 100:
        problems.append("name.full must be at most 100 characters")
    if not 0 < len(description.get("short", "")) <= 80:
        problems.append("description.short must be 1-80 characters")
    if not 0 < len(description.get("full", "")) <= 4000:
        problems.append("description.full must be 1-4000 characters")
    if not re.match(r"^#[0-9A-Fa-f]{6}$", str(manifest.get("accentColor", ""))):
        problems.append("accentColor must be #RRGGBB")
    bots = manifest.get("bots") or []
    if not bots or not GUID.match(str(bots[0].get("botId", ""))):
        problems.append("bots[0].botId must be the bot's app id (a GUID)")
    for command in (c for bot in bots for lst in bot.get("commandLists", []) for c in lst.get("commands", [])):
        if len(command["title"]) > 32 or len(command["description"]) > 128:
            problems.append(f"command {command['title']!r} is too long")
    for domain in manifest.get("validDomains", []):
        if "://" in domain or "/" in domain:
            problems.append(f"validDomains entry {domain!r} must be a host name, without scheme or path")
    return problems


def _shield(draw: ImageDraw.ImageDraw, size: int, fill: Any, outline: Any = None, width: int = 0) -> None:
    s = size / 32  # drawn on a 32-unit grid
    shield = [(16 * s, 3 * s), (27 * s, 7 * s), (27 * s, 15 * s), (16 * s, 29 * s), (5 * s, 15 * s), (5 * s, 7 * s)]
    draw.polygon(shield, fill=fill, outline=outline, width=width)


def _check_mark(draw: ImageDraw.ImageDraw, size: int, fill: Any) -> None:
    s = size / 32
    draw.line([(10.5 * s, 15 * s), (14.5 * s, 19.5 * s), (21.5 * s, 10.5 * s)], fill=fill, width=max(2, round(2.6 * s)),
              joint="curve")


def icons() -> dict[str, bytes]:
    """color.png: a white shield with a check on the accent colour; outline.png: the same in white lines."""
    color = Image.new("RGBA", (192, 192), BLUE)
    draw = ImageDraw.Draw(color)
    _shield(draw, 192, fill=(255, 255, 255, 255))
    _check_mark(draw, 192, fill=BLUE)
    outline = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    draw = ImageDraw.Draw(outline)
    _shield(draw, 32, fill=None, outline=(255, 255, 255, 255), width=2)
    _check_mark(draw, 32, fill=(255, 255, 255, 255))
    files = {}
    for name, image in (("color.png", color), ("outline.png", outline)):
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        files[name] = buffer.getvalue()
    return files


def build(out: Path, environ: Mapping[str, str]) -> dict:
    manifest = fill(json.loads(TEMPLATE.read_text(encoding="utf-8")), settings_from(environ))
    problems = check(manifest)
    if problems:
        raise ManifestError("; ".join(problems))
    out.parent.mkdir(parents=True, exist_ok=True)
    # Teams wants the three files at the root of the zip; fixed timestamps keep the package reproducible.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        entries = {"manifest.json": json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"), **icons()}
        for name, data in entries.items():
            package.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the Teams app package.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        manifest = build(args.out, os.environ)
    except ManifestError as error:
        print(f"teams-package: {error}", file=sys.stderr)
        return 1
    print(f"teams-package: {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out} "
          f"(app {manifest['id']}, manifest {manifest['manifestVersion']}, domains {manifest.get('validDomains')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
