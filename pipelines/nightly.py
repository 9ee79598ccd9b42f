"""The unattended night: one live acquisition per publisher, then a replay refresh of the archive.

At 02:00 Asia/Shanghai the ``nightly`` schedule requests one run of ``nightly_acquire`` per
publisher partition, tagged with the publisher's host so that the run coordinator's tag
concurrency keeps one run per host at a time (``deploy/dagster.yaml``). Each run fetches that
publisher's site into the archive and nothing else, so one failing site is one red partition,
retried alone. When every partition run of the night has finished, the ``after_nightly_acquire``
sensor requests the ``refresh`` job in replay mode on that same archive: parsing, validation and
promotion read the night's documents without a second pass over the network.

Freshness is judged from the archive manifest: a publisher is stale when its newest document is
older than its cadence allows, and vanished when an entry point answered 404 the last time it was
fetched. Failed runs become alerts: a log line, a JSON file under ``$IPBENCH_DATA_DIR/alerts/``
and, when ``IPBENCH_ALERT_WEBHOOK`` is set, a POST to it.
"""

import datetime as dt
import json
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import requests

from pipelines.resources import ArchiveResource
from sources import config, publishers
from sources.acquire import acquire
from sources.archive import ManifestEntry
from sources.publishers.base import Publisher

log = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NIGHTLY_JOB = "nightly_acquire"
REFRESH_JOB = "refresh"
HOST_TAG = "ipbench/host"
NIGHT_TAG = "ipbench/night"
# Runs that write the warehouse; deploy/dagster.yaml lets one of them run at a time.
WAREHOUSE_TAG = "ipbench/warehouse"
PARTITION_TAG = "dagster/partition"
# Publishers without a site (the office's inbox) still get a partition; they share this "host".
LOCAL_HOST = "local"
# Days a publisher may stay silent before it counts as stale: its cadence plus a publication lag.
CADENCE_DAYS = {"monthly": 45, "quarterly": 120, "yearly": 400}
_NOT_FOUND = re.compile(r"\bHTTP 404\b")
_FINISHED = {
    dg.DagsterRunStatus.SUCCESS,
    dg.DagsterRunStatus.FAILURE,
    dg.DagsterRunStatus.CANCELED,
}

publisher_partitions = dg.StaticPartitionsDefinition(list(publishers.PUBLISHER_MODULES))


def schedules_running() -> bool:
    """Production turns the schedule and sensors on (``IPBENCH_NIGHTLY=on``); a developer's
    ``dagster dev`` must not start fetching government sites at 02:00."""
    return os.environ.get("IPBENCH_NIGHTLY", "").lower() in ("1", "on", "true", "yes")


def _default_status() -> dg.DefaultScheduleStatus:
    return (
        dg.DefaultScheduleStatus.RUNNING
        if schedules_running()
        else dg.DefaultScheduleStatus.STOPPED
    )


def _default_sensor_status() -> dg.DefaultSensorStatus:
    return dg.DefaultSensorStatus.RUNNING if schedules_running() else dg.DefaultSensorStatus.STOPPED


# -- freshness ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Freshness:
    publisher: str
    cadence: str
    allowed_days: int
    newest: dt.date | None
    age_days: int | None
    # Entry points whose last fetch answered 404: the listing has moved or the site is gone.
    vanished: tuple[str, ...] = ()

    @property
    def stale(self) -> bool:
        return self.age_days is None or self.age_days > self.allowed_days

    @property
    def ok(self) -> bool:
        return not self.stale and not self.vanished

    def describe(self) -> str:
        parts = []
        if self.newest is None:
            parts.append("no dated document in the archive")
        elif self.stale:
            parts.append(
                f"newest document {self.newest} is {self.age_days} days old "
                f"({self.cadence}: at most {self.allowed_days})"
            )
        parts += [f"{url} answered 404" for url in self.vanished]
        return "; ".join(parts) or f"newest document {self.newest} ({self.age_days} days old)"


def _document_date(entry: ManifestEntry) -> dt.date | None:
    if entry.published_on:
        return dt.date.fromisoformat(entry.published_on)
    if entry.outcome == "fetched":
        # Undated page with new bytes: it was new when it was fetched.
        return dt.datetime.fromisoformat(entry.retrieved_at).date()
    return None


def freshness(publisher: Publisher, entries: Iterable[ManifestEntry], today: dt.date) -> Freshness:
    """How fresh ``publisher`` is in an archive manifest, judged on ``today``."""
    newest: dt.date | None = None
    last_listing: dict[str, tuple[str, int, ManifestEntry]] = {}
    for index, entry in enumerate(entries):
        if entry.publisher != publisher.name:
            continue
        if entry.role == "document" and entry.good:
            day = _document_date(entry)
            if day is not None and (newest is None or day > newest):
                newest = day
        if entry.role == "listing" and entry.url in publisher.entry_points:
            # By time, not file order: a replay re-records old listings with their old time.
            key = (entry.retrieved_at, index, entry)
            if entry.url not in last_listing or key[:2] >= last_listing[entry.url][:2]:
                last_listing[entry.url] = key
    vanished = tuple(
        url
        for url in publisher.entry_points
        if url in last_listing
        and last_listing[url][2].outcome == "failed"
        and _NOT_FOUND.search(last_listing[url][2].reason)
    )
    allowed = CADENCE_DAYS.get(publisher.cadence, CADENCE_DAYS["yearly"])
    age = (today - newest).days if newest is not None else None
    return Freshness(publisher.name, publisher.cadence, allowed, newest, age, vanished)


def archive_freshness(entries: Iterable[ManifestEntry], today: dt.date) -> list[Freshness]:
    """Freshness of every publisher, in refresh order."""
    entries = list(entries)
    return [freshness(m.PUBLISHER, entries, today) for m in publishers.all_publishers()]


def today_in_shanghai() -> dt.date:
    return dt.datetime.now(SHANGHAI).date()


# -- the acquisition asset ---------------------------------------------------------------------


def host_of(publisher: Publisher) -> str:
    """The host a publisher's runs are throttled on (tag concurrency: one run per host)."""
    return publisher.hosts[0] if publisher.hosts else LOCAL_HOST


@dg.asset(
    partitions_def=publisher_partitions,
    group_name="nightly",
    kinds={"python"},
    retry_policy=dg.RetryPolicy(
        max_retries=2, delay=300, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
    ),
    check_specs=[dg.AssetCheckSpec("fresh", asset="publisher_archive")],
    description="Fetch one publisher's site into the archive (live), nothing else.",
)
def publisher_archive(context: dg.AssetExecutionContext, nightly_archive: ArchiveResource):
    module = publishers.load(context.partition_key)
    store = nightly_archive.archive()
    result = acquire(module, nightly_archive.transport(store), store)
    failures = [f"{f.url}: {f.reason}" for f in result.failures]
    for failure in failures:
        context.log.warning(f"{module.PUBLISHER.name}: {failure}")
    discovery = [f for f in result.failures if f.reason.startswith("discovery:")]
    if discovery:
        # The listing itself failed: the previous documents stay, the partition goes red (retried,
        # then alerted) so that a moved or vanished site is noticed the same night.
        raise dg.Failure(
            description=f"{module.PUBLISHER.name}: "
            + "; ".join(f"{f.reason} ({f.url})" for f in discovery),
            metadata={"url": discovery[0].url, "failures": failures[:50]},
        )
    state = freshness(module.PUBLISHER, store.entries(), today_in_shanghai())
    stats = result.stats
    yield dg.MaterializeResult(
        metadata={
            "documents": len(result.documents),
            "fetched": stats.documents_fetched,
            "unchanged": stats.documents_unchanged,
            "failed": stats.documents_failed,
            "failures": failures[:50],
        },
        check_results=[
            dg.AssetCheckResult(
                check_name="fresh",
                passed=state.ok,
                severity=dg.AssetCheckSeverity.WARN,
                metadata={
                    "newest": str(state.newest or ""),
                    "age_days": state.age_days if state.age_days is not None else -1,
                    "allowed_days": state.allowed_days,
                    "vanished": list(state.vanished),
                    "summary": state.describe(),
                },
            )
        ],
    )


nightly_acquire_job = dg.define_asset_job(
    NIGHTLY_JOB,
    selection=dg.AssetSelection.assets(publisher_archive),
    description="One publisher's live acquisition into the archive (one run per partition).",
)


# -- the schedule ------------------------------------------------------------------------------


def night_of(moment: dt.datetime) -> str:
    """The Shanghai date a scheduled time belongs to: the key shared by the night's runs."""
    return moment.astimezone(SHANGHAI).date().isoformat()


def nightly_run_requests(night: str) -> list[dg.RunRequest]:
    """One run per publisher, throttled per host and grouped by night."""
    return [
        dg.RunRequest(
            run_key=f"{night}:{name}",
            partition_key=name,
            tags={HOST_TAG: host_of(publishers.load(name).PUBLISHER), NIGHT_TAG: night},
        )
        for name in publishers.PUBLISHER_MODULES
    ]


@dg.schedule(
    name="nightly",
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    job=nightly_acquire_job,
    default_status=_default_status(),
    description="02:00 Asia/Shanghai: acquire every publisher, one run per publisher.",
)
def nightly(context: dg.ScheduleEvaluationContext):
    moment = context.scheduled_execution_time or dt.datetime.now(SHANGHAI)
    return nightly_run_requests(night_of(moment))


# -- after the night: replay the archive into the warehouse ------------------------------------


def replay_run_config(archive_dir: Path) -> dict:
    """Run config making ``refresh`` read the night's archive instead of the network."""
    archive = {"mode": "replay", "root": str(archive_dir), "replay_from": str(archive_dir)}
    return {"resources": {"archive": {"config": archive}}}


def finished_nights(
    runs: Iterable[tuple[str, str, dg.DagsterRunStatus]], partitions: Iterable[str]
) -> list[str]:
    """Nights whose every partition has a finished run, from (night, partition, status) oldest
    first: the newest run of a partition (a manual re-execution) is the one that counts."""
    latest: dict[str, dict[str, dg.DagsterRunStatus]] = {}
    for night, partition, status in runs:
        latest.setdefault(night, {})[partition] = status
    wanted = set(partitions)
    return sorted(
        night
        for night, statuses in latest.items()
        if wanted <= statuses.keys() and all(statuses[p] in _FINISHED for p in wanted)
    )


@dg.sensor(
    name="after_nightly_acquire",
    job_name=REFRESH_JOB,
    minimum_interval_seconds=300,
    default_status=_default_sensor_status(),
    description="When every publisher's run of the night has finished, refresh from the archive.",
)
def after_nightly_acquire(context: dg.SensorEvaluationContext):
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    records = context.instance.get_runs(
        filters=dg.RunsFilter(job_name=NIGHTLY_JOB, created_after=since)
    )
    # get_runs lists newest first; reversed, a partition's newest run is applied last.
    runs = [
        (r.tags[NIGHT_TAG], r.tags.get(PARTITION_TAG, ""), r.status)
        for r in reversed(list(records))
        if r.tags.get(NIGHT_TAG)
    ]
    nights = finished_nights(runs, publishers.PUBLISHER_MODULES)
    if not nights:
        return dg.SkipReason("no night with every publisher's run finished")
    archive_dir = config.archive_dir()
    return [
        dg.RunRequest(
            run_key=f"replay:{night}",
            run_config=replay_run_config(archive_dir),
            tags={NIGHT_TAG: night, WAREHOUSE_TAG: "refresh"},
        )
        for night in nights
    ]


# -- alerts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    job: str
    run_id: str
    # The partition of a nightly run is its publisher; empty for the refresh.
    publisher: str
    message: str
    raised_at: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)


def alerts_dir() -> Path:
    return config.data_dir() / "alerts"


def write_alert(alert: Alert, directory: Path) -> Path:
    """Keep the alert as one JSON file; names sort by time."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = re.sub(r"[^0-9T]", "", alert.raised_at)[:15]
    path = directory / f"{stamp}-{alert.job}-{alert.run_id[:8]}.json"
    path.write_text(alert.to_json() + "\n", encoding="utf-8")
    return path


def post_alert(alert: Alert, webhook: str, timeout: float = 5.0) -> bool:
    """POST the alert to ``webhook``; never raises, since an alert must not fail the sensor."""
    try:
        response = requests.post(webhook, json=asdict(alert), timeout=timeout)
        return response.ok
    except requests.RequestException as err:
        log.warning("alert webhook %s failed: %s", webhook, err)
        return False


def raise_alert(alert: Alert, directory: Path, webhook: str | None) -> Path:
    """Log, write and (when a webhook is configured) post one alert."""
    log.error(
        "ipbench alert: %s %s %s: %s", alert.job, alert.publisher, alert.run_id, alert.message
    )
    path = write_alert(alert, directory)
    if webhook:
        post_alert(alert, webhook)
    return path


def failure_message(step_errors: Iterable[str], run_message: str) -> str:
    """The steps' own error messages, or the run's when no step failed (e.g. a launch error)."""
    details = [e.strip() for e in step_errors if e and e.strip()]
    return "; ".join(details)[:4000] or run_message


def _step_errors(context: dg.RunFailureSensorContext) -> list[str]:
    errors = []
    for event in context.get_step_failure_events():
        error = event.event_specific_data.error if event.event_specific_data else None
        while error is not None and error.cause is not None:
            error = error.cause
        errors.append(f"{event.step_key}: {error.message if error else event.message}")
    return errors


@dg.run_failure_sensor(
    name="alert_on_failure",
    default_status=_default_sensor_status(),
    description="Write an alert (log, JSON file, optional webhook) for every failed run.",
)
def alert_on_failure(context: dg.RunFailureSensorContext) -> None:
    run = context.dagster_run
    alert = Alert(
        job=run.job_name,
        run_id=run.run_id,
        publisher=run.tags.get(PARTITION_TAG, ""),
        message=failure_message(_step_errors(context), context.failure_event.message or ""),
        raised_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    )
    path = raise_alert(alert, alerts_dir(), os.environ.get("IPBENCH_ALERT_WEBHOOK") or None)
    context.log.info(f"alert written to {path}")


SCHEDULES = [nightly]
SENSORS = [after_nightly_acquire, alert_on_failure]
