"""``zugong demo`` on a fresh ``ZUGONG_HOME``: it migrates first (a user ran it before ``zugong serve``
and got "no such table: orgs_unit")."""

import os
import subprocess
import sys


def test_the_demo_command_builds_into_a_fresh_home(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["ZUGONG_HOME"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-m", "zugong.cli", "demo", "--scale", "0.002"], env=env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "演示账号" in done.stdout and "admin" in done.stdout
    assert (tmp_path / "zugong.sqlite3").exists() or any(tmp_path.glob("*.sqlite3"))
