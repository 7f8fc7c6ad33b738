"""The example plugin, pip-installed into a folder of its own, as a user would add it:
its page is in the registry, the default rotation and the ``page`` command, on
``/preview`` of a real API server and on the contact sheet; its producer runs and
feeds that page; its goldens check with glanceboard's golden tool, and its own tests
pass. Every step runs in a process whose PYTHONPATH holds the install folder, so this
test process's registry stays the repository's own."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from matrix_client.pages.contact_sheet import magnify
from matrix_client.render.fonts import font_for
from server.valkey import EmbeddedValkey
from tests.servers import ROOT, ApiProcess, Child, python_module, start_api_server, wait_until

EXAMPLE = ROOT / "examples" / "glanceboard-countdown"
GOLDEN = EXAMPLE / "tests" / "golden"
AT = "2026-11-26T16:55:08-05:00"  # the sample moment the goldens are drawn at
ZONE = "America/New_York"
EVENTS = ("Launch=2026-12-24T18:00:00-05:00/2026-11-01T00:00:00-05:00",
          "Dentist=2026-11-27T09:30:00-05:00/2026-11-20T09:30:00-05:00",
          "Last year=2025-11-27T09:30:00-05:00")


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plugin-target")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-input",
         "--target", str(folder), str(EXAMPLE)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (folder / "glanceboard_countdown" / "countdown.toml").exists()
    return folder


def run(target: Path, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), str(ROOT)])}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120)


def golden(name: str, size: str = "64x32") -> Image.Image:
    with Image.open(GOLDEN / size / f"{name}.png") as image:
        return image.convert("RGB")


def same(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and a.tobytes() == b.tobytes()


LOOP_SCRIPT = """
import json, queue
from datetime import datetime
from zoneinfo import ZoneInfo
from matrix_client.clock import ManualClock
from matrix_client.display.headless import HeadlessDisplay
from matrix_client.loop import RenderLoop
from matrix_client.pages import plugin_pages, registry
from matrix_client.rotation import load_rotation, parse_rotation
from matrix_client.store import StateStore

clock = ManualClock(datetime.fromisoformat(%(at)r).astimezone(ZoneInfo(%(zone)r)))
display = HeadlessDisplay(64, 32)
controls = queue.Queue()
loop = RenderLoop(display, StateStore(), parse_rotation(["clock"], "rotation.yaml"),
                  clock=clock, controls=controls)
loop.step()
clock_frame = display.last_frame.tobytes()
controls.put({"type": "webcontrol", "command": "page", "args": {"name": "countdown"}})
loop.step()
display.last_frame.save(%(out)r)
print(json.dumps({
    "pages": list(registry()),
    "from": plugin_pages()["countdown"].distribution,
    "types": list(registry()["countdown"].types),
    "rotation": [e.page for e in load_rotation(None)],
    "named": [e.page for e in parse_rotation(["countdown", "clock"], "rotation.yaml")],
    "switched": display.last_frame.tobytes() != clock_frame,
}))
"""


def test_the_page_joins_registry_rotation_and_page_command(target: Path, tmp_path: Path
                                                           ) -> None:
    out = tmp_path / "shown.png"
    result = run(target, "-c", LOOP_SCRIPT % {"at": AT, "zone": ZONE, "out": str(out)})
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    assert facts["pages"][-1] == "countdown" and "clock" in facts["pages"]
    assert facts["from"] == "glanceboard-countdown 0.1.0"
    assert facts["types"] == ["Countdown"]
    assert "countdown" in facts["rotation"]
    assert facts["named"] == ["countdown", "clock"]
    assert facts["switched"]
    with Image.open(out) as shown:  # the `page` command's picture: no Countdown data yet
        assert same(shown.convert("RGB"), golden("countdown-nodata"))


def test_its_goldens_check_with_the_golden_tool_and_its_tests_pass(target: Path) -> None:
    result = run(target, "-m", "matrix_client.pages.golden", "--check", "--pages",
                 "countdown", "--dir", str(GOLDEN))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "32 match, 0 differ" in result.stdout
    # Without --pages the tool means the built-in pages: the plugin is not among them.
    result = run(target, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=EXAMPLE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout


def test_the_contact_sheet_shows_it(target: Path, tmp_path: Path) -> None:
    sheet_path = tmp_path / "sheet.png"
    result = run(target, "-m", "matrix_client.pages.contact_sheet", str(sheet_path),
                 "--pages", "clock,countdown")
    assert result.returncode == 0, result.stderr
    assert "2 pages x 4 sizes" in result.stdout
    # The second row's first cell is the 64x32 countdown, magnified 4 times.
    pad, scale = 8, 4
    label_h = font_for("small").height * 2 + 2
    row_h = 64 * scale + label_h + pad
    x, y = pad, pad + row_h + label_h
    with Image.open(sheet_path) as sheet:
        cell = sheet.convert("RGB").crop((x, y, x + 64 * scale, y + 32 * scale))
    assert same(cell, magnify(golden("countdown"), scale))


@pytest.fixture
def plugin_api(valkey: EmbeddedValkey, target: Path) -> Iterator[ApiProcess]:
    api = start_api_server(valkey.url, env={
        "PYTHONPATH": os.pathsep.join([str(target), str(ROOT)])})
    try:
        yield api
    finally:
        api.stop()


def preview(api: ApiProcess) -> Image.Image:
    response = api.get("/preview/countdown.png", params={"size": "64x32", "at": AT, "tz": ZONE})
    assert response.status_code == 200, response.text
    assert "X-Page-Error" not in response.headers
    return Image.open(io.BytesIO(response.content)).convert("RGB")


def test_preview_shows_it_and_its_producer_feeds_it(valkey: EmbeddedValkey,
                                                    plugin_api: ApiProcess, target: Path,
                                                    tmp_path: Path) -> None:
    listed = plugin_api.get("/preview/pages").json()["pages"]
    assert {"name": "countdown", "title": "Countdown", "types": ["Countdown"]} in listed
    assert same(preview(plugin_api), golden("countdown-nodata"))
    args = ["countdown", "--once", "--redis-url", valkey.url]
    for event in EVENTS:
        args += ["--event", event]
    producer = Child(python_module("server.producers", *args), tmp_path / "producer.log",
                     env={"PYTHONPATH": str(target)})
    assert producer.process.wait(60) == 0, producer.log()
    # The producer's events are the page's samples, so the mirror draws the golden.
    wait_until(lambda: same(preview(plugin_api), golden("countdown")), 15,
               what="the countdown page drawing the producer's events")
    listing = run(target, "-m", "server.producers", "--list")
    assert "countdown" in listing.stdout and "glanceboard-countdown 0.1.0" in listing.stdout
