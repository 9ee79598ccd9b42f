"""The Dagster UI in a real browser: headless Chromium against a running dagster-webserver."""

import os
import subprocess
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from lxml import html

from pipelines.definitions import defs
from tests.pipelines.test_daemon import dagster_env, webserver

CHROMIUM = Path("/usr/bin/chromium")
LOCATION = "yrd_ipbench"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is absent (scripts/setup-system.sh installs it)",
)


def chromium(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",  # tests may run as root, where the sandbox refuses to start
            "--disable-gpu",
            "--window-size=1600,1000",
            # Time for the UI to fetch the definitions over GraphQL and lay out the graph.
            "--virtual-time-budget=20000",
            *args,
        ],
        capture_output=True,
        timeout=timeout,
    )


def assets_by_group() -> dict[str, set[str]]:
    graph = defs.resolve_asset_graph()
    groups: dict[str, set[str]] = defaultdict(set)
    for key in graph.get_all_asset_keys():
        groups[graph.get(key).group_name].add(key.to_user_string())
    return groups


def node_labels(dom: str) -> set[str]:
    """The visible text of the page, one string per element."""
    return {text.strip() for text in html.fromstring(dom).itertext() if text.strip()}


@pytest.fixture(scope="module")
def ui(tmp_path_factory):
    home = tmp_path_factory.mktemp("dagster_home")
    with webserver(dagster_env(home), home) as url:
        # On a loopback origin the UI greets a new instance with a newsletter dialog over the
        # graph; the UI's own mutation records it as seen.
        answer = requests.post(
            f"{url}/graphql", json={"query": "mutation { setNuxSeen }"}, timeout=30
        )
        assert answer.ok and answer.json()["data"]["setNuxSeen"], answer.text
        yield url


def test_asset_graph_shows_every_asset_of_the_definitions(ui):
    groups = assets_by_group()
    assert sum(map(len, groups.values())) >= 6
    shown: set[str] = set()
    # The global lineage collapses groups into boxes; each group's graph page draws its assets.
    for group, keys in groups.items():
        page = f"{ui}/locations/{LOCATION}/asset-groups/{quote(group)}"
        result = chromium("--dump-dom", page)
        assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
        labels = node_labels(result.stdout.decode())
        assert keys <= labels, f"{group}: {sorted(keys - labels)} missing from the graph"
        shown |= keys & labels
    expected = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert shown == expected


def test_screenshots_of_the_asset_graph_are_kept_as_artefacts(ui, tmp_path):
    artefacts = Path(os.environ.get("IPBENCH_ARTEFACTS") or tmp_path)
    artefacts.mkdir(parents=True, exist_ok=True)
    for group, keys in assets_by_group().items():
        png = artefacts / f"dagster-asset-graph-{group}.png"
        png.unlink(missing_ok=True)
        page = f"{ui}/locations/{LOCATION}/asset-groups/{quote(group)}"
        result = chromium(f"--screenshot={png}", page)
        assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
        content = png.read_bytes()
        assert content.startswith(b"\x89PNG\r\n\x1a\n")
        # A blank or error page compresses to a few kilobytes; a drawn graph does not.
        assert len(content) > 20_000 + 5_000 * len(keys), (group, len(content))
        dom = chromium("--dump-dom", page).stdout.decode()
        assert "Join the Dagster community" not in dom
