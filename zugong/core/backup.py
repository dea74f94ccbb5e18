"""Backups: the database, the uploaded files and a manifest, in one ``.tar.gz``; and their restore.

An archive ``zugong-backup-YYYYmmdd-HHMMSS.tar.gz`` holds

- ``zugong.sqlite3`` (SQLite: made with SQLite's online backup API, so the server may keep running,
  then checked with ``PRAGMA integrity_check``) or ``zugong.pgdump`` (PostgreSQL: ``pg_dump
  --format=custom``, one consistent snapshot);
- ``media/``: the uploaded files (work-plan documents, evidence, photos, and the rosters uploaded in
  the last 7 days: ``members.services.UPLOAD_KEEP``) under ``MEDIA_ROOT`` — not the finished exports
  under ``media/exports`` (``EXCLUDED_MEDIA``: made again on request, and plain-text personal data);
- ``manifest.json``: format version, time, database vendor, the last migration of each app, row
  counts of the main tables, the SHA-256 of every file, and the fingerprint of the encryption and
  blind-index keys (``zugong.core.crypto.key_fingerprint``) — never the keys themselves.

The keys are deliberately not in the archive (a backup that carries its own keys would undo the
encryption of 身份证号 at rest); they must be kept separately (``ZUGONG_FIELD_KEYS`` /
``ZUGONG_BLIND_INDEX_KEY``, or the development key files under ``ZUGONG_HOME/keys``). Restore
checks the fingerprint and refuses to proceed on a mismatch unless told to.

Every backup and restore writes an audit event (a backup is an export of all personal data).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from zugong.core import crypto
from zugong.core.audit import Actor, audit_record

FORMAT = 1
PREFIX = "zugong-backup-"
#: Folders of MEDIA_ROOT left out of a backup: the background exports' files (``members.exports``).
EXCLUDED_MEDIA = frozenset({"exports"})
#: Tables whose row counts go into the manifest (and are compared after a restore).
COUNTED = (
    "core_person",
    "orgs_unit",
    "orgs_partyorganization",
    "members_partymember",
    "members_affiliation",
    "cadres_cadre",
    "core_auditevent",
)


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message is Chinese and says what to do."""


@dataclass
class BackupResult:
    """Where the archive went, its size in bytes, the manifest, and the archives removed by ``keep``."""

    path: Path
    size: int
    manifest: dict
    removed: list[Path] = field(default_factory=list)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _pg_tool(name: str) -> str:
    """The newest ``pg_dump``/``pg_restore`` on the machine (a newer client can dump an older server)."""
    found = sorted((p for p in Path("/usr/lib/postgresql").glob(f"*/bin/{name}") if p.parts[-3].isdigit()),
                   key=lambda p: int(p.parts[-3]))
    if found:
        return str(found[-1])
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端（Debian: apt-get install postgresql-client）")
    return path


#: Django OPTIONS keys that are libpq connection parameters → the environment variable the PostgreSQL client
#: tools read each from (libpq "Environment Variables"). Not passed: Django's own keys (isolation_level,
#: pool, server_side_binding, assume_role, …) and client_encoding (the dump keeps the server's encoding).
_LIBPQ_ENV = {
    "passfile": "PGPASSFILE", "service": "PGSERVICE", "options": "PGOPTIONS", "application_name": "PGAPPNAME",
    "hostaddr": "PGHOSTADDR", "connect_timeout": "PGCONNECT_TIMEOUT", "target_session_attrs": "PGTARGETSESSIONATTRS",
    "load_balance_hosts": "PGLOADBALANCEHOSTS", "channel_binding": "PGCHANNELBINDING", "require_auth": "PGREQUIREAUTH",
    "sslmode": "PGSSLMODE", "requiressl": "PGREQUIRESSL", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY", "sslcertmode": "PGSSLCERTMODE", "sslcrl": "PGSSLCRL", "sslcrldir": "PGSSLCRLDIR",
    "sslsni": "PGSSLSNI", "sslcompression": "PGSSLCOMPRESSION", "ssl_min_protocol_version": "PGSSLMINPROTOCOLVERSION",
    "ssl_max_protocol_version": "PGSSLMAXPROTOCOLVERSION", "requirepeer": "PGREQUIREPEER", "gssencmode": "PGGSSENCMODE",
    "krbsrvname": "PGKRBSRVNAME", "gsslib": "PGGSSLIB", "gssdelegation": "PGGSSDELEGATION",
}  # fmt: skip


def pg_environment(db: dict, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for ``pg_dump``/``pg_restore`` to reach the database of Django settings dict ``db``
    (``DATABASES[alias]``, as dj-database-url builds it from ``DATABASE_URL``): ``base`` (default
    ``os.environ``) plus PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE and, from ``db["OPTIONS"]``, every
    libpq parameter of ``_LIBPQ_ENV`` (sslmode → PGSSLMODE, options → PGOPTIONS, …).

    Everything goes through the environment and nothing through the command line, so the password is
    not visible to other users in the process list (``ps``) and a database name starting with "-" or
    holding a connection string is taken literally. Booleans become "1"/"0", numbers their decimal text;
    empty values are left out. Without NAME and service the database is "postgres", as Django connects.
    """
    env = dict(os.environ if base is None else base)
    options = db.get("OPTIONS") or {}
    name = db.get("NAME") or ("" if options.get("service") else "postgres")
    for var, value in (("PGHOST", db.get("HOST")), ("PGPORT", db.get("PORT")), ("PGUSER", db.get("USER")),
                       ("PGPASSWORD", db.get("PASSWORD")), ("PGDATABASE", name)):  # fmt: skip
        if value not in (None, ""):
            env[var] = str(value)
    for key, var in _LIBPQ_ENV.items():
        value = options.get(key)
        if value is None or value == "":
            continue
        env[var] = ("1" if value else "0") if isinstance(value, bool) else str(value)
    return env


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{what}失败：{done.stderr.strip()[-500:]}")


def table_counts(conn=None) -> dict[str, int]:
    """Row counts of ``COUNTED`` through ``conn`` (a DB-API connection) or Django's connection."""
    out = {}
    if conn is None:
        with connection.cursor() as cur:
            for table in COUNTED:
                cur.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (fixed table names)
                out[table] = cur.fetchone()[0]
        return out
    for table in COUNTED:
        out[table] = conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
    return out


def _migrations() -> dict[str, str]:
    last: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.order_by("id").values_list("app", "name"):
        last[app] = name
    return last


def _dump_database(folder: Path) -> tuple[str, dict[str, int]]:
    """Write the database into ``folder``; returns (file name, row counts of the copy)."""
    if connection.vendor == "sqlite":
        if connection.in_atomic_block:
            # SQLite's backup would wait forever for the lock this connection's own transaction holds
            raise BackupError("不能在未结束的事务中备份 SQLite 数据库")
        connection.ensure_connection()
        target = folder / "zugong.sqlite3"
        dest = sqlite3.connect(target)
        # CHECK constraints use REGEXP, which Django registers on its own connections only
        dest.create_function("REGEXP", 2, lambda pattern, text: text is not None and re.search(pattern, str(text)) is not None)
        try:
            connection.connection.backup(dest)  # online backup: consistent even while the server writes
            check = dest.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"备份文件完整性检查未通过：{check}")
            counts = table_counts(dest)
        finally:
            dest.close()
        return target.name, counts
    if connection.vendor == "postgresql":
        target = folder / "zugong.pgdump"
        env = pg_environment(connection.settings_dict)
        cmd = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)]
        if connection.in_atomic_block:  # inside a caller's transaction (tests): no snapshot of our own
            _run(cmd, env, "pg_dump")
            return target.name, table_counts()
        with transaction.atomic(), connection.cursor() as cur:
            # The counts in the manifest and the dump see the same snapshot.
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            counts = table_counts()
            _run([*cmd, "--snapshot", snapshot], env, "pg_dump")
        return target.name, counts
    raise BackupError(f"不支持的数据库：{connection.vendor}")


def _prune(folder: Path, keep: int) -> list[Path]:
    archives = sorted(folder.glob(f"{PREFIX}*.tar.gz"))
    doomed = archives[: max(0, len(archives) - keep)]
    for path in doomed:
        path.unlink()
    return doomed


def backup_create(*, actor: Actor, target_dir: Path, keep: int | None = None, media: bool = True) -> BackupResult:
    """Make one backup archive in ``target_dir`` (created if missing) and audit it.

    ``keep``: keep only the newest ``keep`` archives of this folder afterwards (None: keep all).
    ``media``: include the uploaded files. The archive is written under a temporary name and renamed
    when complete, so a crash never leaves a half archive that looks whole.
    Raises BackupError (Chinese message) when the database cannot be copied or checked.
    """
    if keep is not None and keep < 1:
        raise BackupError("保留份数至少为1")
    target_dir = Path(target_dir)
    target_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    now = timezone.localtime()
    name = f"{PREFIX}{now:%Y%m%d-%H%M%S}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="zugong-backup-") as tmp:
        work = Path(tmp)
        db_file, counts = _dump_database(work)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database": connection.vendor,
            "database_file": db_file,
            "migrations": _migrations(),
            "counts": counts,
            "keys": crypto.key_fingerprint(),
            "files": {db_file: _sha256(work / db_file)},
            "media": bool(media),  # False: the archive leaves MEDIA_ROOT alone on restore
            "media_files": 0,
        }
        media_root = Path(settings.MEDIA_ROOT)
        media_paths = sorted(
            p for p in media_root.rglob("*") if p.is_file() and p.relative_to(media_root).parts[0] not in EXCLUDED_MEDIA
        ) if media and media_root.exists() else []  # fmt: skip
        for p in media_paths:
            manifest["files"][f"media/{p.relative_to(media_root).as_posix()}"] = _sha256(p)
        manifest["media_files"] = len(media_paths)
        partial = target_dir / f".{name}.partial"
        # personal data: owner-only from the first byte (not chmod after writing)
        with os.fdopen(os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600), "wb") as raw, \
                tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
            blob = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime, info.mode = len(blob), int(now.timestamp()), 0o600
            tar.addfile(info, io.BytesIO(blob))
            tar.add(work / db_file, arcname=db_file)
            for p in media_paths:
                tar.add(p, arcname=f"media/{p.relative_to(media_root).as_posix()}")
        path = target_dir / name
        partial.replace(path)
    with transaction.atomic():
        audit_record(
            actor,
            "backup",
            object_type="backup",
            object_id=name,
            summary=f"备份数据库和上传文件到 {path}",
            after={"counts": counts, "media_files": manifest["media_files"], "size": path.stat().st_size},
        )
    removed = _prune(target_dir, keep) if keep else []
    return BackupResult(path=path, size=path.stat().st_size, manifest=manifest, removed=removed)


def read_manifest(archive: Path) -> dict:
    """The manifest of ``archive``; raises BackupError if it is not a Zugong backup of a known format."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile("manifest.json")
            manifest = json.loads(member.read()) if member else None
    except (tarfile.TarError, KeyError, OSError, json.JSONDecodeError) as exc:
        raise BackupError(f"{archive} 不是组工系统的备份文件：{exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} 的备份格式不受支持（{manifest.get('format') if isinstance(manifest, dict) else '无'}）")
    return manifest


@dataclass
class RestoreResult:
    """The manifest restored from, the row counts found after restoring, and warnings (Chinese)."""

    manifest: dict
    counts: dict[str, int]
    warnings: list[str]


def _schema_access(cur) -> tuple[str, list[str]]:
    """PostgreSQL: the owner of the ``public`` schema and its access privileges (aclitem texts such
    as ``=U/pg_database_owner`` or ``reader=U/owner``), read before the restore recreates it."""
    cur.execute("SELECT pg_get_userbyid(nspowner), COALESCE(nspacl::text[], '{}') FROM pg_namespace WHERE nspname = 'public'")
    owner, acl = cur.fetchone()
    return owner, list(acl)


_SCHEMA_PRIVILEGES = {"U": "USAGE", "C": "CREATE"}


def _give_schema_access_back(cur, owner: str, acl: list[str]) -> list[str]:
    """Give the recreated ``public`` schema its owner and privileges again (PostgreSQL 15 makes it
    ``pg_database_owner``'s with USAGE for PUBLIC; other roles — a reporting account — may have
    been granted more). ``pg_restore --no-privileges`` restores neither. Returns a Chinese warning
    for each that this role may not give back (the schema then keeps this role as owner)."""
    qn = connection.ops.quote_name
    statements = [f"ALTER SCHEMA public OWNER TO {qn(owner)}"]
    for item in acl:
        grantee, _, rest = item.partition("=")
        grantee = grantee.strip('"').replace('""', '"')
        privileges, _, _grantor = rest.partition("/")
        for letter, name in _SCHEMA_PRIVILEGES.items():
            if letter in privileges:
                option = " WITH GRANT OPTION" if f"{letter}*" in privileges else ""
                statements.append(f"GRANT {name} ON SCHEMA public TO {qn(grantee) if grantee else 'PUBLIC'}{option}")
    warnings = []
    for sql in statements:
        try:
            with transaction.atomic():
                cur.execute(sql)
        except DatabaseError as exc:
            warnings.append(f"未能恢复 public 模式的所有者或权限（{sql}）：{str(exc).strip()}")
    return warnings


def _has_data() -> bool:
    """True when the database holds people, units or user accounts (an empty or unmigrated one: False)."""
    try:
        with connection.cursor() as cur:
            for table in ("core_person", "orgs_unit", "auth_user"):
                cur.execute(f'SELECT 1 FROM "{table}" LIMIT 1')  # noqa: S608 (fixed table names)
                if cur.fetchone() is not None:
                    return True
    except Exception:  # no tables yet: an empty database
        return False
    return False


_DATABASE_FILES = {"sqlite": "zugong.sqlite3", "postgresql": "zugong.pgdump"}


def _checked_paths(manifest: dict) -> tuple[str, list[str]]:
    """The database file and the media files named by ``manifest``, refused (BackupError) unless each is
    a plain relative path inside the archive: a crafted manifest must not make restore read or write
    anywhere else (absolute paths, "..", a database file other than the vendor's)."""
    db_file = manifest.get("database_file")
    if db_file != _DATABASE_FILES.get(manifest.get("database")):
        raise BackupError(f"备份清单中的数据库文件名不正确：{db_file!r}")
    media = []
    for rel in manifest.get("files", {}):
        path = PurePosixPath(rel)
        if rel == db_file:
            continue
        if (path.is_absolute() or ".." in path.parts or path.parts[:1] != ("media",) or len(path.parts) < 2
                or "\\" in rel or str(path) != rel):  # "media//etc/x" normalizes: refuse anything not canonical
            raise BackupError(f"备份清单中的文件路径不安全：{rel!r}")
        media.append(rel)
    return db_file, media


def _check_migrations(manifest: dict) -> None:
    """Refuse a backup made by a newer version of the code (a migration this code does not have)."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    apps_with_migrations = {app for app, _ in known}
    unknown = [f"{app}.{name}" for app, name in manifest.get("migrations", {}).items()
               if app in apps_with_migrations and (app, name) not in known]
    if unknown:
        raise BackupError(f"备份来自较新的版本（本程序没有迁移 {', '.join(sorted(unknown))}），请先升级程序再恢复")


def _media_targets(media_files: list[str]) -> list[tuple[str, Path]]:
    """[(archive name "media/…", destination under MEDIA_ROOT)] of the archive's uploaded files; raises
    BackupError when a destination leaves MEDIA_ROOT (through a symbolic link inside it). Called before
    anything is overwritten."""
    media_root = Path(settings.MEDIA_ROOT).resolve()
    out = []
    for rel in media_files:
        dest = media_root / PurePosixPath(rel).relative_to("media")
        if not dest.resolve().is_relative_to(media_root):
            raise BackupError(f"备份清单中的文件路径不安全：{rel!r}")
        out.append((rel, dest))
    return out


def _replace_media(work: Path, manifest: dict, targets: list[tuple[str, Path]], safety_folder: Path) -> tuple[int, Path | None]:
    """Make ``MEDIA_ROOT`` hold exactly the archive's files (``targets`` from ``_media_targets``, extracted
    under ``work``). Current files (and symbolic links) not in the archive or whose SHA-256 differs are
    moved into a new owner-only folder of ``safety_folder``; the newest 3 such folders are kept. The
    folders of ``EXCLUDED_MEDIA`` are left alone (their files expire within hours). Returns
    (number of entries moved aside, that folder or None when nothing was moved)."""
    media_root = Path(settings.MEDIA_ROOT).resolve()
    media_root.mkdir(parents=True, exist_ok=True)
    wanted = {dest: manifest["files"][rel] for rel, dest in targets}
    doomed: list[Path] = []
    keep: set[Path] = set()
    for dirpath, dirnames, filenames in os.walk(media_root):  # does not follow links
        here = Path(dirpath)
        if here == media_root:  # left as they are: not in archives, and kept only for hours (exports)
            dirnames[:] = [d for d in dirnames if d not in EXCLUDED_MEDIA or (here / d).is_symlink()]
        for name in [*filenames, *(d for d in dirnames if (here / d).is_symlink())]:
            path = here / name
            if path in wanted and not path.is_symlink() and path.is_file() and _sha256(path) == wanted[path]:
                keep.add(path)  # already the archive's file
            else:
                doomed.append(path)
    aside = None
    if doomed:
        safety_folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = f"{timezone.localtime():%Y%m%d-%H%M%S}"
        aside = Path(tempfile.mkdtemp(prefix=f"media-{stamp}-", dir=safety_folder))  # mode 0o700
        for path in doomed:
            dest = aside / path.relative_to(media_root)
            dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.move(path, dest)
        for old in sorted(safety_folder.glob("media-*"))[:-3]:
            shutil.rmtree(old, ignore_errors=True)
    for dirpath, _, filenames in os.walk(media_root, topdown=False):  # now-empty folders go, deepest first
        if Path(dirpath) != media_root and not filenames:
            with contextlib.suppress(OSError):  # not empty
                Path(dirpath).rmdir()
    for rel, dest in targets:
        if dest not in keep:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(work / rel, dest)
    return len(doomed), aside


def backup_restore(*, actor: Actor, archive: Path, force: bool = False, ignore_keys: bool = False,
                   safety_dir: Path | None = None) -> RestoreResult:
    """Replace the current database and uploaded files with those of ``archive``, then migrate it to
    this version of the code.

    Refuses (BackupError) when the archive is damaged (a file's SHA-256 differs from the manifest) or
    names paths outside itself, when it was made on the other database vendor or by a newer version,
    when the current database already holds data and ``force`` is not set, and when the keys of this
    environment are not those the backup's 身份证号 were encrypted and indexed with (per-key
    fingerprints), unless ``ignore_keys``. Before overwriting data, a safety backup of the current
    state is written to ``safety_dir`` (default ``ZUGONG_HOME/backups/pre-restore``, newest 3 kept).
    Stop the server first: SQLite is overwritten through its backup API; on PostgreSQL the ``public``
    schema is dropped and recreated with its owner and privileges given back (``_give_schema_access_back``), then ``pg_restore --single-transaction`` runs (a failure leaves
    an empty schema — the safety backup restores it). When the archive holds the uploaded files,
    ``MEDIA_ROOT`` is left holding exactly them: every current file that is not in the archive or differs
    from it (files uploaded after the backup point to nothing in the restored database) is moved, with its
    relative path, into a new folder ``media-<time>-<random>`` of the safety folder (newest 3 kept; these
    files are also in the safety backup when the database held data), empty folders are removed, and the
    archive's files are copied in. An archive made without the uploaded files leaves ``MEDIA_ROOT`` alone
    (a warning says so). Clears the statistics cache. Writes a ``restore`` audit event.
    """
    archive = Path(archive)
    manifest = read_manifest(archive)
    if manifest["database"] != connection.vendor:
        raise BackupError(f"备份来自 {manifest['database']} 数据库，当前为 {connection.vendor}，不能直接恢复")
    db_name, media_files = _checked_paths(manifest)
    _check_migrations(manifest)
    warnings: list[str] = []
    current = crypto.key_fingerprint()
    saved = manifest.get("keys", {})
    have = current["field_keys"]
    missing = sorted(k for k, fp in saved.get("field_keys", {}).items() if have.get(k) != fp)
    if missing or saved.get("blind_index") != current["blind_index"]:
        problem = (
            f"当前环境缺少备份时的加密密钥（编号 {'、'.join(missing)}），身份证号和电话将无法解密" if missing
            else "盲索引密钥与备份时不同，按身份证号查找和查重将失效"
        )
        if not ignore_keys:
            raise BackupError(f"密钥不匹配：{problem}。请先配置备份时使用的密钥")
        warnings.append(problem)
    has_data = _has_data()
    if has_data and not force:
        raise BackupError("当前数据库已有数据；确认要用备份覆盖时请加 --force")
    # older archives have no "media" key: they carried the uploaded files unless they had none
    restore_media = bool(manifest.get("media", manifest.get("media_files", 0) > 0))
    targets = _media_targets(media_files) if restore_media else []  # checked before anything is overwritten
    safety_folder = Path(safety_dir) if safety_dir else Path(settings.ZUGONG_HOME) / "backups" / "pre-restore"
    if restore_media and safety_folder.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
        raise BackupError(f"安全备份目录 {safety_folder} 位于上传文件目录中，请另选目录")
    safety = None
    with tempfile.TemporaryDirectory(prefix="zugong-restore-") as tmp:
        work = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")
        for rel, digest in manifest["files"].items():
            got = work / rel
            if not got.is_file() or _sha256(got) != digest:
                raise BackupError(f"备份文件已损坏：{rel} 缺失或校验值不符")
        if has_data:  # the archive is whole: keep what is about to be overwritten
            safety = backup_create(actor=actor, target_dir=safety_folder, keep=3).path
            warnings.append(f"恢复前的数据已另存为 {safety}")
        db_file = work / db_name
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            src = sqlite3.connect(db_file)
            try:
                src.backup(connection.connection)
            finally:
                src.close()
        else:
            with connection.cursor() as cur:
                owner, acl = _schema_access(cur)
                # objects of newer migrations would survive pg_restore --clean and break migrate
                cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
                warnings += _give_schema_access_back(cur, owner, acl)
            connection.close()
            env = pg_environment(connection.settings_dict)
            try:
                # "postgresql://" names nothing: libpq takes every parameter from the environment (without
                # --dbname pg_restore would only print a script)
                _run([_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction",
                      "--dbname", "postgresql://", str(db_file)], env, "pg_restore")
            except BackupError as exc:
                raise BackupError(f"{exc}（恢复前的数据见 {safety}）" if safety else str(exc)) from None
        if restore_media:
            moved, aside = _replace_media(work, manifest, targets, safety_folder)
            if moved:
                warnings.append(f"恢复前的上传文件中有{moved}个不在备份中或与备份不同，已移至 {aside}")
        else:
            warnings.append("备份不含上传文件，上传文件目录未改动")
    counts = table_counts()
    for table, n in manifest["counts"].items():
        if counts.get(table) != n:
            warnings.append(f"{table} 恢复后 {counts.get(table)} 行，备份时 {n} 行")
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)  # an older backup: up to this code's schema
    # cached statistics are keyed by data version, and the restored data may repeat a version of other data
    cache.clear()
    with transaction.atomic():
        audit_record(
            actor,
            "restore",
            object_type="backup",
            object_id=archive.name,
            summary=f"从 {archive.name}（{manifest['created_at'][:19]}）恢复数据库和上传文件",
            after={"counts": counts, "warnings": warnings},
        )
    return RestoreResult(manifest=manifest, counts=counts, warnings=warnings)
