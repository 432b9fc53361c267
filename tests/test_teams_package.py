"""`policybot teams-package`: a zip Teams accepts (schema-valid manifest, right icons)."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest

SCHEMA = Path(__file__).resolve().parent / "data" / "teams" / "MicrosoftTeams.v1.7.schema.json"
APP_ID = "11111111-2222-4333-8444-555555555555"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def run(*args: str, env_extra: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    import os

    env = {k: v for k, v in os.environ.items() if k not in {"MicrosoftAppId", "PUBLIC_BASE_URL"}}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "teams-package", *args], env={**env, **(env_extra or {})},
        capture_output=True, text=True, timeout=60, cwd=cwd,
    )


def test_the_package_validates_against_the_published_schema(tmp_path):
    out = tmp_path / "policy-assistant.zip"
    result = run("-o", str(out), env_extra={"MicrosoftAppId": APP_ID, "PUBLIC_BASE_URL": "https://policybot.monroe.gov"})
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(zf.read("manifest.json"))
        color, outline = zf.read("color.png"), zf.read("outline.png")
    # The schema says draft-04 but relies on `const` (draft-06); Teams enforces it, so do we.
    jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(manifest)
    assert manifest["bots"][0]["botId"] == APP_ID and manifest["validDomains"] == ["policybot.monroe.gov"]
    assert set(manifest["bots"][0]["scopes"]) == {"personal", "team", "groupchat"}
    titles = [c["title"] for c in manifest["bots"][0]["commandLists"][0]["commands"]]
    assert "help" in titles and "disclaimer" in titles and any("?" in t for t in titles)
    from adapters.teams.commands import manifest_commands

    assert manifest_commands() == {"help", "disclaimer", "announce"}  # what the bot runs as commands
    assert png_size(color) == (192, 192) and png_size(outline) == (32, 32)
    assert "{{" not in json.dumps(manifest)


def test_flags_override_the_environment(tmp_path):
    out = tmp_path / "p.zip"
    result = run("-o", str(out), "--app-id", APP_ID.upper(), "--host", "bots.monroe.gov")
    assert result.returncode == 0, result.stderr
    manifest = json.loads(zipfile.ZipFile(out).read("manifest.json"))
    assert manifest["bots"][0]["botId"] == APP_ID and manifest["developer"]["websiteUrl"] == "https://bots.monroe.gov/"


@pytest.mark.parametrize(
    "args, message",
    [([], "App ID"), (["--app-id", "not-a-guid", "--host", "x.gov"], "App ID"), (["--app-id", APP_ID], "host"),
     (["--app-id", APP_ID, "--host", "bad host/with space"], "host")],
)
def test_missing_or_bad_values_are_explained(tmp_path, args, message):
    result = run("-o", str(tmp_path / "p.zip"), *args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "p.zip").exists()


def test_a_wrong_manifest_fails_the_schema():
    """The schema check can fail: a manifest missing its bot scopes or with a bad id is rejected."""
    from adapters.teams.package import manifest

    good = manifest(APP_ID, "policybot.monroe.gov")
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    for broken in ({**good, "id": "42"}, {**good, "manifestVersion": "9.9"}, {**good, "bots": [{"botId": APP_ID}]}):
        assert list(validator.iter_errors(broken))
