"""``zugong backup`` / ``zugong restore`` (zugong.core.backup): archive contents, refusals, round trips."""

import datetime as dt
import hashlib
import io
import json
import tarfile

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from zugong.core import backup, crypto
from zugong.core.audit import SYSTEM
from zugong.core.backup import BackupError, backup_create, backup_restore, read_manifest
from zugong.core.models import AuditEvent, Person
from zugong.core.testing import build_test_city
from zugong.orgs.tests.people import make_member, make_person

# Transactional: SQLite's online backup reads committed pages, so the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def city():
    test_city = build_test_city()
    for n, name in enumerate(("王芳", "李强", "张伟"), start=1):
        make_member(make_person(name, n, birth=dt.date(1980, 5, 17)), test_city.orgs["jinan_branch"], joined=dt.date(2010, 7, 1))
    return test_city


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    (root / "work").mkdir(parents=True)
    (root / "work" / "plan.txt").write_text("重点任务", encoding="utf-8")
    settings.MEDIA_ROOT = root
    return root


def _members(archive):
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: m for m in tar.getmembers()}


def test_it_writes_one_archive_with_manifest_counts_checksums_and_media(city, media, tmp_path):
    result = backup_create(actor=SYSTEM, target_dir=tmp_path / "out")
    names = _members(result.path)
    db_file = "zugong.sqlite3" if connection.vendor == "sqlite" else "zugong.pgdump"
    assert {"manifest.json", db_file, "media/work/plan.txt"} <= set(names)
    manifest = read_manifest(result.path)
    assert manifest["counts"]["core_person"] == Person.objects.count() > 0
    assert manifest["database"] == connection.vendor
    assert set(manifest["files"]) == {db_file, "media/work/plan.txt"}
    assert manifest["keys"] == crypto.key_fingerprint()
    assert "members" in manifest["migrations"]
    assert result.path.stat().st_mode & 0o777 == 0o600  # personal data
    assert not list((tmp_path / "out").glob(".*partial"))
    event = AuditEvent.objects.get(action="backup")
    assert event.after["counts"]["core_person"] == manifest["counts"]["core_person"]


def test_it_leaves_the_finished_exports_out_of_the_archive(city, media, tmp_path):
    """A background export's file is plain-text personal data made again on request (members.exports)."""
    (media / "exports").mkdir()
    (media / "exports" / "20261207000000-0123456789abcdef.xlsx").write_bytes(b"full numbers")
    (media / "imports").mkdir()
    (media / "imports" / "20261207000000-fedcba9876543210.xlsx").write_bytes(b"a roster being imported")
    result = backup_create(actor=SYSTEM, target_dir=tmp_path / "out")
    media_names = {n for n in _members(result.path) if n.startswith("media/")}
    assert media_names == {"media/work/plan.txt", "media/imports/20261207000000-fedcba9876543210.xlsx"}
    assert read_manifest(result.path)["media_files"] == 2


def test_it_never_puts_the_keys_into_the_archive(city, media, tmp_path, settings):
    result = backup_create(actor=SYSTEM, target_dir=tmp_path / "out")
    keys_dir = settings.ZUGONG_HOME / "keys"
    secrets = [p.read_text().strip() for p in keys_dir.iterdir()] if keys_dir.exists() else []
    with tarfile.open(result.path, "r:gz") as tar:
        blob = b"".join(tar.extractfile(m).read() for m in tar.getmembers() if m.isfile())
    assert not any(key in blob for s in secrets for key in (s.encode(), s.split(":")[-1].encode()))
    assert not any(name.startswith("keys") for name in _members(result.path))


def test_it_keeps_only_the_newest_archives(city, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "none"
    out = tmp_path / "out"
    out.mkdir()
    for stamp in ("20250101-000000", "20250102-000000"):
        (out / f"zugong-backup-{stamp}.tar.gz").write_bytes(b"old")
    result = backup_create(actor=SYSTEM, target_dir=out, keep=2)
    assert [p.name for p in result.removed] == ["zugong-backup-20250101-000000.tar.gz"]
    assert sorted(p.name for p in out.iterdir()) == ["zugong-backup-20250102-000000.tar.gz", result.path.name]
    with pytest.raises(BackupError, match="至少为1"):
        backup_create(actor=SYSTEM, target_dir=out, keep=0)


def _tampered(archive, tmp_path):
    """A copy of ``archive`` whose database file differs from the checksum in its manifest."""
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(bad, "w:gz") as dst:
        for m in src.getmembers():
            data = src.extractfile(m).read()
            if m.name.startswith("zugong."):
                data = data[:-10] + bytes(b ^ 0xFF for b in data[-10:])  # not zeros: the file may end in zeros
            m.size = len(data)
            dst.addfile(m, io.BytesIO(data))
    return bad


def test_it_refuses_damaged_foreign_and_mismatched_archives(city, media, tmp_path, monkeypatch):
    good = backup_create(actor=SYSTEM, target_dir=tmp_path / "out").path
    with pytest.raises(BackupError, match="当前数据库已有数据"):
        backup_restore(actor=SYSTEM, archive=good)
    with pytest.raises(BackupError, match="已损坏"):
        backup_restore(actor=SYSTEM, archive=_tampered(good, tmp_path), force=True, safety_dir=tmp_path / "safety")
    assert not (tmp_path / "safety").exists()  # nothing touched before the archive was checked
    not_ours = tmp_path / "x.tar.gz"
    with tarfile.open(not_ours, "w:gz") as tar:
        blob = json.dumps({"format": 99}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(blob)
        tar.addfile(info, io.BytesIO(blob))
    with pytest.raises(BackupError, match="格式不受支持"):
        backup_restore(actor=SYSTEM, archive=not_ours, force=True)
    (tmp_path / "junk.tar.gz").write_bytes(b"junk")
    with pytest.raises(BackupError, match="不是组工系统的备份文件"):
        read_manifest(tmp_path / "junk.tar.gz")
    real = crypto.key_fingerprint()
    monkeypatch.setattr(backup.crypto, "key_fingerprint", lambda: {**real, "field_keys": {"1": "0" * 16}})
    with pytest.raises(BackupError, match="缺少备份时的加密密钥（编号 1）"):  # same key id, another key
        backup_restore(actor=SYSTEM, archive=good, force=True)
    monkeypatch.setattr(backup.crypto, "key_fingerprint", lambda: {**real, "blind_index": "0" * 16})
    with pytest.raises(BackupError, match="盲索引密钥与备份时不同"):
        backup_restore(actor=SYSTEM, archive=good, force=True)


def test_it_restores_the_database_and_the_uploaded_files(city, media, tmp_path):
    before = Person.objects.count()
    archive = backup_create(actor=SYSTEM, target_dir=tmp_path / "out").path
    make_person("赵敏", 9, birth=dt.date(1990, 1, 1))  # written after the backup: gone after the restore
    (media / "work" / "plan.txt").unlink()
    assert Person.objects.count() == before + 1
    cache.set("zugong.stats:overview:x", "figures of the data before")
    result = backup_restore(actor=SYSTEM, archive=archive, force=True, safety_dir=tmp_path / "safety")
    assert Person.objects.count() == before == result.counts["core_person"]
    assert cache.get("zugong.stats:overview:x") is None  # data versions may repeat: cached statistics are gone
    [safety] = (tmp_path / "safety").glob("zugong-backup-*.tar.gz")  # the state before, kept
    assert result.warnings == [f"恢复前的数据已另存为 {safety}"]
    assert read_manifest(safety)["counts"]["core_person"] == before + 1
    assert (media / "work" / "plan.txt").read_text(encoding="utf-8") == "重点任务"
    # the backup's own event is written after the snapshot, so the restored log ends with the restore
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == ["restore"]
    assert (safety.stat().st_mode & 0o777, safety.parent.stat().st_mode & 0o777) == (0o600, 0o700)


def test_it_runs_as_a_command(city, media, tmp_path):
    out = io.StringIO()
    call_command("backup", "-o", str(tmp_path / "out"), "--keep", "3", stdout=out)
    text = out.getvalue()
    assert "已备份到" in text and "不含加密密钥" in text


def _with_manifest(archive, tmp_path, change, add=()):
    """A copy of ``archive`` whose manifest is changed by ``change`` and that holds the extra ``add`` members."""
    out = tmp_path / "crafted.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for m in src.getmembers():
            data = src.extractfile(m).read()
            if m.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
            m.size = len(data)
            dst.addfile(m, io.BytesIO(data))
        for name, data in add:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return out


def test_it_refuses_a_manifest_that_points_outside_the_archive_or_is_newer(city, media, tmp_path):
    good = backup_create(actor=SYSTEM, target_dir=tmp_path / "out").path
    target = tmp_path / "elsewhere" / "evil.txt"
    evil = b"evil"
    digest = hashlib.sha256(evil).hexdigest()
    for key in (f"media/{target}", "media/../../evil.txt", "/etc/evil.txt"):
        crafted = _with_manifest(good, tmp_path, lambda m, k=key: m["files"].update({k: digest}),
                                 add=[("media" + str(target), evil)])
        with pytest.raises(BackupError, match="路径不安全"):
            backup_restore(actor=SYSTEM, archive=crafted, force=True, safety_dir=tmp_path / "safety")
    assert not target.exists()
    crafted = _with_manifest(good, tmp_path, lambda m: m.update(database_file="/etc/passwd"))
    with pytest.raises(BackupError, match="数据库文件名不正确"):
        backup_restore(actor=SYSTEM, archive=crafted, force=True)
    crafted = _with_manifest(good, tmp_path, lambda m: m["migrations"].update(members="9999_from_the_future"))
    with pytest.raises(BackupError, match="较新的版本"):
        backup_restore(actor=SYSTEM, archive=crafted, force=True)


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_it_leaves_the_uploaded_files_exactly_as_in_the_archive(city, media, tmp_path):
    archive = backup_create(actor=SYSTEM, target_dir=tmp_path / "out").path
    (media / "work" / "late.docx").write_bytes(b"uploaded after the backup")  # points to nothing once restored
    (media / "photos" / "2025").mkdir(parents=True)
    (media / "photos" / "2025" / "p.jpg").write_bytes(b"photo")
    (media / "work" / "plan.txt").write_text("改过的", encoding="utf-8")
    result = backup_restore(actor=SYSTEM, archive=archive, force=True, safety_dir=tmp_path / "safety")
    assert _files(media) == {"work/plan.txt": "重点任务".encode()}
    assert not (media / "photos").exists()  # emptied folders go too
    [safety] = (tmp_path / "safety").glob("zugong-backup-*.tar.gz")
    assert {"media/work/late.docx", "media/photos/2025/p.jpg", "media/work/plan.txt"} <= set(read_manifest(safety)["files"])
    [aside] = (tmp_path / "safety").glob("media-*")  # moved aside, not deleted
    assert _files(aside) == {"work/late.docx": b"uploaded after the backup", "photos/2025/p.jpg": b"photo",
                             "work/plan.txt": "改过的".encode()}
    assert aside.stat().st_mode & 0o777 == 0o700
    assert f"恢复前的上传文件中有3个不在备份中或与备份不同，已移至 {aside}" in result.warnings


def test_a_restore_leaves_the_finished_exports_where_they_expire(city, media, tmp_path):
    """Not moved into the kept safety folders, where plain-text personal data would outlive its 24 hours."""
    archive = backup_create(actor=SYSTEM, target_dir=tmp_path / "out").path
    (media / "exports").mkdir()
    (media / "exports" / "20261207000000-0123456789abcdef.xlsx").write_bytes(b"full numbers")
    backup_restore(actor=SYSTEM, archive=archive, force=True, safety_dir=tmp_path / "safety")
    assert (media / "exports" / "20261207000000-0123456789abcdef.xlsx").read_bytes() == b"full numbers"
    assert not any(p.name.endswith(".xlsx") for aside in (tmp_path / "safety").glob("media-*") for p in aside.rglob("*"))


def test_it_leaves_the_uploaded_files_alone_when_the_archive_has_none(city, media, tmp_path):
    archive = backup_create(actor=SYSTEM, target_dir=tmp_path / "out", media=False).path
    assert read_manifest(archive)["media"] is False
    (media / "work" / "late.docx").write_bytes(b"late")
    with pytest.raises(BackupError, match="位于上传文件目录中"):
        backup_restore(actor=SYSTEM, archive=_media_archive(tmp_path), force=True, safety_dir=media / "safety")
    result = backup_restore(actor=SYSTEM, archive=archive, force=True, safety_dir=tmp_path / "safety")
    assert set(_files(media)) == {"work/plan.txt", "work/late.docx"}
    assert "备份不含上传文件，上传文件目录未改动" in result.warnings
    assert not list((tmp_path / "safety").glob("media-*"))


def _media_archive(tmp_path):
    return backup_create(actor=SYSTEM, target_dir=tmp_path / "with-media").path


def test_it_passes_the_connection_settings_to_the_postgresql_tools_through_the_environment():
    db = {"NAME": "-zugong", "USER": "zg", "PASSWORD": "s3cret", "HOST": "db.example", "PORT": 5433,
          "OPTIONS": {"sslmode": "verify-full", "sslrootcert": "/etc/zg/ca.pem", "options": "-c search_path=zugong,public",
                      "connect_timeout": 10, "sslsni": True, "isolation_level": 2, "application_name": ""}}
    env = backup.pg_environment(db, base={"PATH": "/usr/bin", "PGHOST": "elsewhere"})
    assert env == {"PATH": "/usr/bin", "PGHOST": "db.example", "PGPORT": "5433", "PGUSER": "zg", "PGPASSWORD": "s3cret",
                   "PGDATABASE": "-zugong", "PGSSLMODE": "verify-full", "PGSSLROOTCERT": "/etc/zg/ca.pem",
                   "PGOPTIONS": "-c search_path=zugong,public", "PGCONNECT_TIMEOUT": "10", "PGSSLSNI": "1"}
    assert backup.pg_environment({"NAME": "", "OPTIONS": {}}, base={})["PGDATABASE"] == "postgres"  # as Django
    assert "PGDATABASE" not in backup.pg_environment({"NAME": "", "OPTIONS": {"service": "zg"}}, base={})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump/pg_restore run only on PostgreSQL")
def test_it_puts_no_connection_settings_on_the_pg_dump_and_pg_restore_command_lines(city, tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "none"
    calls = []
    real_run = backup._run

    def run(cmd, env, what):
        calls.append((cmd, env))
        real_run(cmd, env, what)

    monkeypatch.setattr(backup, "_run", run)
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "application_name", "zugong-backup-test")
    archive = backup_create(actor=SYSTEM, target_dir=tmp_path / "out").path
    backup_restore(actor=SYSTEM, archive=archive, force=True, safety_dir=tmp_path / "safety")
    assert len(calls) == 3  # dump, safety dump, restore
    for cmd, env in calls:
        assert not {"--host", "--port", "--username", "--password", "-h", "-p", "-U"} & set(cmd)
        assert connection.settings_dict["NAME"] not in cmd
        assert env["PGDATABASE"] == connection.settings_dict["NAME"] and env["PGAPPNAME"] == "zugong-backup-test"
    assert calls[-1][0][-3:-1] == ["--dbname", "postgresql://"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="schemas and roles are PostgreSQL's")
def test_a_restore_gives_the_public_schema_its_owner_and_privileges_back(city, media, tmp_path):
    """Another role (a reporting account) granted USAGE keeps it; the owner stays who it was."""
    role = "zugong_test_reader"

    def access():
        with connection.cursor() as cur:
            cur.execute("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'")
            owner = cur.fetchone()[0]
            cur.execute("SELECT has_schema_privilege(%s, 'public', 'USAGE'), has_schema_privilege(%s, 'public', 'CREATE')", [role, role])
            return owner, cur.fetchone()

    with connection.cursor() as cur:
        cur.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        if not cur.fetchone()[0]:
            pytest.skip("the test role may not create roles")
        cur.execute(f"DROP ROLE IF EXISTS {role}")
        cur.execute(f"CREATE ROLE {role} NOLOGIN")
        cur.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
    try:
        before = access()
        assert before[1] == (True, False)
        archive = backup_create(actor=SYSTEM, target_dir=tmp_path / "out").path
        result = backup_restore(actor=SYSTEM, archive=archive, force=True, safety_dir=tmp_path / "safety")
        assert access() == before
        assert not [w for w in result.warnings if "public 模式" in w]
    finally:
        with connection.cursor() as cur:
            cur.execute(f"REVOKE ALL ON SCHEMA public FROM {role}")
            cur.execute(f"DROP ROLE IF EXISTS {role}")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="schemas and roles are PostgreSQL's")
def test_privileges_that_cannot_be_given_back_are_reported_not_fatal():
    with connection.cursor() as cur:
        warnings = backup._give_schema_access_back(cur, "no_such_role_zugong", ['no_such_role_zugong=U/x', "=U/x"])
    assert len(warnings) == 2 and all("未能恢复 public 模式" in w for w in warnings)  # owner, and the role's USAGE
