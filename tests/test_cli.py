"""The command line, run as a real process: parse, migrate, import; then scripts/serve and the Dockerfile."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import REPO, SEED
from tests.server import free_port


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
    # pyproject names app.cli:main as `jianghua`, and `python -m app` runs that same main.
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"jianghua": "app.cli:main"}
    assert "from app.cli import main" in (REPO / "app" / "__main__.py").read_text(encoding="utf-8")
    # The installed console script exists beside this interpreter (scripts/test installs it) …
    exe = Path(sys.executable).parent / "jianghua"
    assert exe.exists(), f"{exe} is missing: the project is not installed in this environment"
    # … and answers exactly as `python -m app` does.
    for args in (["--help"], ["parse", str(SEED)], ["parse", "--compact", str(SEED)]):
        by_script = subprocess.run([str(exe), *args], cwd=REPO, capture_output=True, check=False)
        by_module = run(*args)
        assert by_script.returncode == by_module.returncode == 0, by_script.stderr
        assert by_script.stdout == by_module.stdout


def test_import_many_files_each_on_its_own_and_by_normalised_content(db_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "JIANGHUA_DATABASE_URL": db_url}
    same = tmp_path / "same-with-bom-and-crlf.txt"
    same.write_bytes(b"\xef\xbb\xbf" + SEED.read_bytes().replace(b"\n", b"\r\n"))
    other = tmp_path / "other.txt"
    other.write_text("在全市工作会议上的讲话\n一、抓发展\n发展是第一要务。\n", encoding="utf-8")
    r = run("import", str(SEED), str(same), str(tmp_path / "missing.txt"), str(other), env=env)
    # A missing file is reported and makes the exit status 1, but the other files are stored.
    assert r.returncode == 1
    lines = r.stdout.decode().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["created 1", "exists  1", "created 2"]
    assert b"missing.txt" in r.stderr
    # The raw text is kept as received (decoded) beside the normalised one.
    from sqlalchemy import text

    from app.core.db import make_engine

    engine = make_engine(db_url)
    with engine.connect() as conn:
        raw, normalised = conn.execute(text("SELECT raw_text, text FROM speech WHERE id = 2")).one()
    engine.dispose()
    assert raw == other.read_text(encoding="utf-8")
    assert normalised == "在全市工作会议上的讲话\n一、抓发展\n发展是第一要务。"


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
    if db_url.startswith("postgresql"):  # the rows the rebuild deleted are vacuumed at once
        engine = create_engine(db_url)
        with engine.connect() as conn:
            vacuumed = conn.execute(
                text("SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL")
            ).scalars()
            assert {"fts_sentence", "fts_section", "fts_quote"} <= set(vacuumed)
        engine.dispose()


# --- Set-up and deployment: scripts/serve, Alembic's own CLI and the Dockerfile, run for real ---


def wait_for(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"{url} never answered:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.load(answer)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a process started in its own session, and everything it started."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.mark.slow
def test_scripts_serve_migrates_imports_the_seed_and_serves_where_settings_say(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "JIANGHUA_DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
        "JIANGHUA_HOST": "127.0.0.1",
        "JIANGHUA_PORT": str(port),
        "JIANGHUA_ACCESS_LOG": "false",
    }
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        # From another working directory: the script finds its repository by itself.
        proc = subprocess.Popen(
            [str(REPO / "scripts" / "serve")],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/healthz", proc, log, timeout=300)  # may create .venv on a fresh clone
            speech = get_json(base + "/api/v1/speeches/1")
            parts = [n for n in speech["outline"] if n["kind"] == "part"]
            assert [p["marker"] for p in parts] == ["一、", "二、", "三、"]
            assert [[c["kind"] for c in p["children"]] for p in parts] == [["point"] * 3] * 3
            assert get_json(base + "/readyz")["status"] == "ready"  # migrated to head
        finally:
            stop(proc)
    assert (tmp_path / "served.db").exists()  # JIANGHUA_DATABASE_URL, not ./data/, was used
    assert "created 1" in log.read_text(errors="replace")


def test_alembic_command_line_takes_the_database_from_settings(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'by-alembic.db'}"
    env = {**os.environ, "JIANGHUA_DATABASE_URL": url}
    r = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(REPO / "alembic.ini"), "upgrade", "head"],
        cwd=REPO,
        env=env,
        capture_output=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    from app.core import migrations

    with sqlite3.connect(tmp_path / "by-alembic.db") as conn:
        (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    assert revision == migrations.head_revision()


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", (REPO / "Dockerfile").read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def test_dockerfile_is_slim_non_root_installs_from_pyproject_and_checks_healthz() -> None:
    steps = dockerfile()
    args = {k: [a for kk, a in steps if kk == k] for k, _ in steps}
    assert re.fullmatch(r"python:3\.1[1-9]-slim(-\w+)?", args["FROM"][0]), args["FROM"]
    assert any(re.search(r"pip install [^&]*\.(\s|$)", run) for run in args["RUN"]), (
        "deps from pyproject.toml"
    )
    assert args["USER"] and args["USER"][-1] not in ("root", "0")
    assert "/healthz" in args["HEALTHCHECK"][0]
    cmd = json.loads(args["CMD"][-1])
    assert "migrate" in " ".join(cmd) and "uvicorn" in " ".join(cmd)
    # Everything the image copies is in the repository (committed, when this is a git checkout).
    for arguments in args["COPY"]:
        *sources, _ = arguments.split()
        for source in sources:
            assert (REPO / source).exists(), f"COPY {source}: not in the repository"
            if (REPO / ".git").exists():
                tracked = subprocess.run(
                    ["git", "ls-files", "--error-unmatch", source], cwd=REPO, capture_output=True, check=False
                )
                assert tracked.returncode == 0, f"COPY {source}: not committed"


@pytest.mark.slow
def test_dockerfile_command_and_healthcheck_work_on_the_copied_tree(tmp_path: Path) -> None:
    """Docker is not needed: lay out what the image copies, then run its CMD and HEALTHCHECK there."""
    steps = dockerfile()
    workdir = Path([a for k, a in steps if k == "WORKDIR"][-1])
    image = tmp_path / "image"
    env: dict[str, str] = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for keyword, arguments in steps:
        if keyword == "ENV":
            env.update(dict(re.findall(r"(\w+)=(\S+)", arguments)))
        elif keyword == "COPY":
            *sources, target = arguments.split()
            destination = image / (workdir / target).relative_to("/")
            for source in sources:
                if (REPO / source).is_dir():
                    shutil.copytree(
                        REPO / source,
                        destination,
                        ignore=shutil.ignore_patterns("__pycache__"),
                        dirs_exist_ok=True,
                    )
                else:
                    into = destination / Path(source).name if target.endswith("/") else destination
                    into.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(REPO / source, into)
    srv = image / workdir.relative_to("/")
    port = free_port()
    env.update(
        JIANGHUA_DATABASE_URL=f"sqlite:///{tmp_path / 'volume' / 'jianghua.db'}",
        JIANGHUA_HOST="127.0.0.1",
        JIANGHUA_PORT=str(port),
        JIANGHUA_ACCESS_LOG="false",
    )
    # The image runs the copied source tree, not an installed package.
    where = subprocess.run(
        [sys.executable, "-c", "import app; print(app.__file__)"],
        cwd=srv,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.stdout.strip() == str(srv / "app" / "__init__.py"), where.stderr
    command = json.loads([a for k, a in steps if k == "CMD"][-1])
    health = [a for k, a in steps if k == "HEALTHCHECK"][-1].split(" CMD ", 1)[1]
    log = tmp_path / "container.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=srv, env=env, stdout=out, stderr=out, start_new_session=True)
        try:
            wait_for(f"http://127.0.0.1:{port}/readyz", proc, log, timeout=60)  # migrated to head
            check = subprocess.run(["sh", "-c", health], cwd=srv, env=env, capture_output=True, check=False)
            assert check.returncode == 0, check.stderr
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                assert b"/static/app.js" in page.read()  # the reader ships in the image too
        finally:
            stop(proc)
    check = subprocess.run(["sh", "-c", health], cwd=srv, env=env, capture_output=True, check=False)
    assert check.returncode != 0  # and the health check notices when the server is gone
