"""The command line, run as a real process: parse, migrate, import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, SEED


def run(
    *args: str, env: dict[str, str] | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=REPO, env=env, input=stdin, capture_output=True, check=False
    )


def test_parse_prints_the_contract_for_the_seed() -> None:
    r = run("parse", str(SEED))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["title"] == "在“五一”劳动节暨先进模范表彰大会上的讲话"
    assert len(out["preamble"]["paragraphs"]) == 3
    assert [s["marker"] for s in out["sections"]] == ["一、", "二、", "三、"]
    assert all(len(s["children"]) == 3 for s in out["sections"])
    assert out["closing"]["paragraphs"][0].startswith("同志们")
    assert isinstance(out["quotes"], list) and isinstance(out["diagnostics"], list)


def test_parse_accepts_bom_and_stdin() -> None:
    data = b"\xef\xbb\xbf" + SEED.read_bytes()
    a = run("parse", "-", stdin=data)
    b = run("parse", str(SEED))
    assert a.returncode == 0
    assert json.loads(a.stdout) == json.loads(b.stdout)


def test_import_is_idempotent_and_reports_it(db_url: str) -> None:
    env = {**os.environ, "JIANGHUA_DATABASE_URL": db_url}
    assert run("migrate", env=env).returncode == 0
    first = run("import", str(SEED), env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.decode().startswith("created 1\t")
    again = run("import", str(SEED), env=env)
    assert again.stdout.decode().startswith("exists  1\t")


def test_import_of_missing_file_fails_without_traceback(db_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "JIANGHUA_DATABASE_URL": db_url}
    run("migrate", env=env)
    r = run("import", str(tmp_path / "nope.txt"), env=env)
    assert r.returncode == 1
    assert b"Traceback" not in r.stderr
    assert b"nope.txt" in r.stderr


def test_console_script_and_module_share_the_cli() -> None:
    from app.cli import main

    assert main.__module__ == "app.cli"
    exe = Path(sys.executable).parent / "jianghua"
    if exe.exists():
        r = subprocess.run([str(exe), "--help"], capture_output=True, check=False)
        assert r.returncode == 0
        assert b"parse" in r.stdout and b"import" in r.stdout


def test_keys_create_list_revoke(db_url: str) -> None:
    env = {**os.environ, "JIANGHUA_DATABASE_URL": db_url}
    created = run("keys", "create", "--name", "portal", "--scope", "admin", env=env)
    assert created.returncode == 0, created.stderr
    key = created.stdout.decode().strip()
    assert key.startswith("jh_") and len(key) > 40
    listed = run("keys", "list", env=env).stdout.decode()
    assert "portal" in listed and "admin" in listed and key not in listed
    assert key[:10] in listed
    revoked = run("keys", "revoke", "portal", env=env)
    assert revoked.returncode == 0 and b"revoked" in revoked.stdout
    assert run("keys", "revoke", "portal", env=env).returncode == 1  # nothing live left


def test_reindex_rebuilds_with_progress(db_url: str) -> None:
    env = {**os.environ, "JIANGHUA_DATABASE_URL": db_url}
    assert run("import", str(SEED), env=env).returncode == 0
    r = run("reindex", env=env)
    assert r.returncode == 0, r.stderr
    assert b"sentence" in r.stderr and b"[" in r.stderr
    assert r.stdout.decode().startswith("reindexed ")
