"""The nightly schedule, the sensor that replays the night's archive, freshness and alerts."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import dagster as dg
import pytest
from sqlalchemy import func, select

from pipelines import nightly
from pipelines.definitions import defs
from pipelines.resources import ArchiveResource
from sources import publishers
from sources.archive import Archive, ManifestEntry
from sources.publishers import anhui_amr, huainan_amr, jiangsu_ip

RUN = dg.DagsterRunStatus


def test_schedule_requests_one_run_per_publisher_for_the_shanghai_night():
    # 02:00 in Shanghai is 18:00 UTC the day before: the night is named by its Shanghai date.
    scheduled = dt.datetime(2026, 2, 28, 18, 0, tzinfo=dt.UTC)
    context = dg.build_schedule_context(
        scheduled_execution_time=scheduled, repository_def=defs.get_repository_def()
    )
    result = nightly.nightly.evaluate_tick(context)
    requests = result.run_requests
    assert [r.partition_key for r in requests] == list(publishers.PUBLISHER_MODULES)
    assert len({r.run_key for r in requests}) == len(requests)
    by_partition = {r.partition_key: r for r in requests}
    assert by_partition["cnipa"].run_key == "2026-03-01:cnipa"
    assert by_partition["cnipa"].tags[nightly.HOST_TAG] == "www.cnipa.gov.cn"
    assert by_partition["jiangsu_ip"].tags[nightly.HOST_TAG] == "jsip.jiangsu.gov.cn"
    assert by_partition["office"].tags[nightly.HOST_TAG] == nightly.LOCAL_HOST
    assert {r.tags[nightly.NIGHT_TAG] for r in requests} == {"2026-03-01"}
    assert nightly.nightly.cron_schedule == "0 2 * * *"
    assert nightly.nightly.execution_timezone == "Asia/Shanghai"
    assert nightly.nightly.job_name == "nightly_acquire"


def test_definitions_load_and_keep_the_refresh_job_unpartitioned(tmp_path):
    dg.Definitions.validate_loadable(defs)
    assert defs.resolve_schedule_def("nightly")
    assert {s.name for s in defs.sensors} == {"after_nightly_acquire", "alert_on_failure"}
    refresh = defs.resolve_job_def("refresh")
    assert "publisher_archive" not in refresh.graph.node_dict
    assert "documents" in refresh.graph.node_dict
    assert defs.resolve_job_def("nightly_acquire").partitions_def == nightly.publisher_partitions
    config = nightly.replay_run_config(tmp_path)
    assert dg.validate_run_config(refresh, config)["resources"]["archive"]["config"] == {
        "mode": "replay",
        "root": str(tmp_path),
        "replay_from": str(tmp_path),
    }
    retry = nightly.publisher_archive.op.retry_policy
    assert retry is not None and retry.max_retries == 2


def test_a_night_is_finished_when_every_partition_has_ended():
    parts = ["cnipa", "anhui_amr"]
    assert nightly.finished_nights(
        [("2026-03-01", "cnipa", RUN.SUCCESS), ("2026-03-01", "anhui_amr", RUN.FAILURE)], parts
    ) == ["2026-03-01"]
    # One publisher still queued (its host busy): wait.
    assert (
        nightly.finished_nights(
            [("2026-03-01", "cnipa", RUN.SUCCESS), ("2026-03-01", "anhui_amr", RUN.QUEUED)], parts
        )
        == []
    )
    # A manual re-execution started later is the run that counts.
    assert (
        nightly.finished_nights(
            [
                ("2026-03-01", "cnipa", RUN.SUCCESS),
                ("2026-03-01", "anhui_amr", RUN.FAILURE),
                ("2026-03-01", "anhui_amr", RUN.STARTED),
            ],
            parts,
        )
        == []
    )
    assert nightly.finished_nights([("2026-03-01", "cnipa", RUN.SUCCESS)], parts) == []


def _entry(archive: Archive, url: str, publisher: str, **fields) -> ManifestEntry:
    if fields.get("outcome", "fetched") != "failed":
        sha, _ = archive.store(f"{url} {fields}".encode())
        fields.setdefault("sha256", sha)
    fields.setdefault("outcome", "fetched")
    entry = ManifestEntry(url=url, publisher=publisher, **fields)
    archive.record(entry)
    return entry


def test_freshness_flags_stale_and_vanished_publishers_from_the_manifest(tmp_path):
    archive = Archive(tmp_path / "archive")
    today = dt.date(2026, 11, 25)
    # jiangsu_ip publishes monthly: a newest document of September is 85 days old (> 45).
    _entry(
        archive,
        "https://jsip.jiangsu.gov.cn/art/2026/9/1/a.html",
        "jiangsu_ip",
        retrieved_at="2026-11-24T18:00:00+00:00",
        published_on="2026-09-01",
    )
    _entry(
        archive,
        "https://jsip.jiangsu.gov.cn/art/2026/6/1/b.html",
        "jiangsu_ip",
        retrieved_at="2026-11-24T18:00:01+00:00",
        published_on="2026-06-01",
    )
    # huainan_amr is quarterly: the same age is within its 120 days.
    _entry(
        archive,
        "https://scjgj.huainan.gov.cn/public/content/1",
        "huainan_amr",
        retrieved_at="2026-11-24T18:00:00+00:00",
        published_on="2026-09-01",
    )
    # anhui_amr's entry point answered 404 last night, after years of good listings; a replay
    # that re-recorded the old listing afterwards (with its old time) must not hide it.
    index = anhui_amr.PUBLISHER.entry_points[0]
    _entry(archive, index, "anhui_amr", role="listing", retrieved_at="2026-10-01T18:00:00+00:00")
    _entry(
        archive,
        index,
        "anhui_amr",
        role="listing",
        outcome="failed",
        reason="HTTP 404",
        retrieved_at="2026-11-24T18:00:00+00:00",
    )
    _entry(
        archive,
        index,
        "anhui_amr",
        role="listing",
        outcome="unchanged",
        retrieved_at="2026-10-01T18:00:00+00:00",
    )
    _entry(
        archive,
        "https://amr.ah.gov.cn/xwdt/gsgg/1.html",
        "anhui_amr",
        retrieved_at="2026-10-01T18:00:00+00:00",
        published_on="2026-03-01",
    )

    states = {s.publisher: s for s in nightly.archive_freshness(archive.entries(), today)}
    jiangsu = states["jiangsu_ip"]
    assert (jiangsu.newest, jiangsu.age_days, jiangsu.allowed_days) == (dt.date(2026, 9, 1), 85, 45)
    assert jiangsu.stale and not jiangsu.ok and "85 days old" in jiangsu.describe()
    assert states["huainan_amr"].ok
    anhui = states["anhui_amr"]
    assert anhui.vanished == (index,) and not anhui.stale and not anhui.ok
    assert f"{index} answered 404" in anhui.describe()
    # Nothing archived at all is stale too: there is no evidence the publisher is alive.
    assert states["cnipa"].newest is None and states["cnipa"].stale


def test_a_listing_that_answers_again_is_no_longer_vanished(tmp_path):
    archive = Archive(tmp_path / "archive")
    index = huainan_amr.PUBLISHER.entry_points[0]
    _entry(
        archive,
        index,
        "huainan_amr",
        role="listing",
        outcome="failed",
        reason="HTTP 404",
        retrieved_at="2026-11-23T18:00:00+00:00",
    )
    _entry(archive, index, "huainan_amr", role="listing", retrieved_at="2026-11-24T18:00:00+00:00")
    state = nightly.freshness(huainan_amr.PUBLISHER, archive.entries(), dt.date(2026, 11, 25))
    assert state.vanished == ()
    other = nightly.freshness(jiangsu_ip.PUBLISHER, archive.entries(), dt.date(2026, 11, 25))
    assert other.newest is None


class _Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        length = int(self.headers["Content-Length"])
        _Hook.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    _Hook.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/alert", _Hook.received
    finally:
        server.shutdown()
        server.server_close()


@dg.op
def fetch_listing():
    raise dg.Failure(description="HTTP 404 at https://amr.ah.gov.cn/xwdt/gsgg/index.html")


@dg.job(name="nightly_acquire")
def failing_night():
    fetch_listing()


def test_failure_sensor_writes_and_posts_the_alert(data_dir, monkeypatch, webhook):
    url, received = webhook
    monkeypatch.setenv("IPBENCH_ALERT_WEBHOOK", url)
    instance = dg.DagsterInstance.ephemeral()
    result = failing_night.execute_in_process(
        instance=instance, raise_on_error=False, tags={nightly.PARTITION_TAG: "anhui_amr"}
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_FAILURE)
    context = dg.build_run_status_sensor_context(
        sensor_name="alert_on_failure",
        dagster_event=failure,
        dagster_instance=instance,
        dagster_run=result.dagster_run,
    ).for_run_failure()
    nightly.alert_on_failure(context)

    [path] = (data_dir / "alerts").glob("*.json")
    alert = json.loads(path.read_text(encoding="utf-8"))
    assert alert["job"] == "nightly_acquire"
    assert alert["publisher"] == "anhui_amr"
    assert alert["run_id"] == result.run_id
    assert "fetch_listing" in alert["message"]
    assert "HTTP 404 at https://amr.ah.gov.cn/xwdt/gsgg/index.html" in alert["message"]
    assert received == [alert]


def test_an_unreachable_webhook_never_raises():
    alert = nightly.Alert("refresh", "abc", "", "boom", "2026-11-25T02:00:00+00:00")
    with HTTPServer(("127.0.0.1", 0), _Hook) as server:
        port = server.server_port  # closed on exit: nothing listens there any more
    assert nightly.post_alert(alert, f"http://127.0.0.1:{port}/", timeout=1.0) is False


def test_one_night_in_sample_mode_then_the_replay_refresh(data_dir, monkeypatch):
    """Every partition acquires into the archive, the sensor sees the night finished and asks for
    the refresh in replay mode, and that refresh fills the warehouse from the archive alone."""
    url = f"sqlite:///{data_dir / 'warehouse.db'}"
    monkeypatch.setenv("IPBENCH_DATABASE_URL", url)
    instance = dg.DagsterInstance.ephemeral()
    archive_dir = data_dir / "archive"
    offline = dg.Definitions(
        assets=[nightly.publisher_archive],
        jobs=[nightly.nightly_acquire_job],
        resources={"nightly_archive": ArchiveResource(mode="sample", root=str(archive_dir))},
    ).resolve_job_def("nightly_acquire")
    sensor_context = dg.build_sensor_context(
        instance=instance, repository_def=defs.get_repository_def()
    )
    night = "2026-11-25"
    for name in publishers.PUBLISHER_MODULES:
        tick = nightly.after_nightly_acquire.evaluate_tick(sensor_context)
        assert tick.run_requests == []  # the night is not over before its last publisher
        result = offline.execute_in_process(
            partition_key=name, instance=instance, tags={nightly.NIGHT_TAG: night}
        )
        assert result.success
        [check] = [
            e.event_specific_data
            for e in result.all_events
            if e.event_type_value == "ASSET_CHECK_EVALUATION"
        ]
        assert check.check_name == "fresh"
    acquired = {e.publisher for e in Archive(archive_dir).entries() if e.good}
    assert {"cnipa", "anhui_amr", "jiangsu_ip"} <= acquired

    [request] = nightly.after_nightly_acquire.evaluate_tick(sensor_context).run_requests
    assert request.run_key == f"replay:{night}"
    assert request.run_config == nightly.replay_run_config(archive_dir)

    refresh = defs.resolve_job_def("refresh").execute_in_process(
        run_config=request.run_config, instance=instance, raise_on_error=False
    )
    assert refresh.success
    from warehouse.db import make_engine
    from warehouse.schema import fact, refresh_run

    with make_engine(url).connect() as conn:
        assert conn.execute(select(refresh_run.c.mode)).scalars().all() == ["replay"]
        assert conn.execute(select(func.count()).select_from(fact)).scalar() > 100


def test_status_lists_runs_blocked_promotions_quarantine_and_stale_publishers(
    database_url, data_dir
):
    from typer.testing import CliRunner

    from pipelines.cli import app
    from pipelines.refresh import run_refresh
    from warehouse import runs, status
    from warehouse.db import make_engine

    assert CliRunner().invoke(app, ["status"]).exit_code == 1  # no refresh yet: one clear line
    outcome = run_refresh("sample", database_url=database_url)
    assert outcome.succeeded
    engine = make_engine(database_url)
    runs.start_run(engine, "live", run_id="blocked-run-0001")
    runs.finish_run(engine, "blocked-run-0001", "blocked", "validation failed: bounds")
    assert status.latest_parsing_run(engine) == outcome.run_id
    counts = status.quarantine_counts(engine, outcome.run_id)
    assert sum(n for _, n in counts) == outcome.metadata["staged_observations"]["quarantined"] > 0
    assert [b["run_id"] for b in status.blocked_promotions(engine)] == ["blocked-run-0001"]

    result = CliRunner().invoke(app, ["status"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert outcome.run_id[:8] in result.output
    assert "blocked-run-0001"[:8] in result.output and "validation failed: bounds" in result.output
    publisher, n = counts[0]
    assert f"  {publisher}: {n}" in result.output
    # The bundled sample's Anhui notices are dated 2024: long past a yearly cadence by now.
    assert "anhui_amr (yearly): newest document" in result.output


def test_a_publisher_whose_listing_fails_turns_its_partition_red(tmp_path):
    source = tmp_path / "previous"
    source.mkdir()
    (source / "manifest.jsonl").touch()  # an archive that never saw this publisher
    archive = ArchiveResource(
        mode="replay", root=str(tmp_path / "archive"), replay_from=str(source)
    )
    context = dg.build_asset_context(partition_key="anhui_amr")
    with pytest.raises(dg.Failure) as failed:
        list(nightly.publisher_archive(context=context, nightly_archive=archive))
    index = anhui_amr.PUBLISHER.entry_points[0]
    assert failed.value.description.startswith("anhui_amr: discovery:")
    assert index in failed.value.description
    [entry] = Archive(tmp_path / "archive").entries()
    assert (entry.url, entry.role, entry.outcome) == (index, "listing", "failed")
