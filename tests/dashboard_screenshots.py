"""A real demo pipeline for the dashboard's settings and profile tests, and the
screenshots of docs/dashboard.md taken against it.

    python -m tests.dashboard_screenshots --write   # docs/images/settings-page.png, displays.png
    python -m tests.dashboard_screenshots --out DIR  # the same pictures, elsewhere

The pipeline is the system as it runs for real, on loopback ports: an embedded
Valkey with persistence, the API server, the demo producer (told only ``--24h``
on its command line, so that one setting shows as locked by a flag), and, when
asked, headless matrix clients as processes that report themselves to the API
server like any display.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from server.valkey import EmbeddedValkey
from tests.servers import (
    API_TOKEN,
    AUTH,
    ROOT,
    ApiProcess,
    Child,
    python_module,
    running_api_server,
    wait_until,
)

DOCS_IMAGES = ROOT / "docs" / "images"
# The flag the demo producer is started with: the settings page shows "clock" locked by it.
PRODUCER_FLAGS = ("--24h",)
BACKGROUND = (7, 9, 13)  # style.css --bg


@dataclass
class DisplayProcess:
    """``python -m matrix_client --backend headless`` as a display with an id: what it
    shows is known from its own reports (``GET /displays``)."""

    display_id: str
    api_url: str
    workdir: Path
    rotation: Sequence[tuple[str, float]] = (("moon", 3600.0),)
    child: Child | None = None
    starts: int = 0

    def start(self) -> DisplayProcess:
        self.workdir.mkdir(parents=True, exist_ok=True)
        rotation = self.workdir / "rotation.yaml"
        rotation.write_text("".join(f"- page: {page}\n  seconds: {seconds:g}\n"
                                    for page, seconds in self.rotation))
        self.starts += 1
        self.child = Child(
            python_module("matrix_client", "--api", self.api_url, "--backend", "headless",
                          "--display-id", self.display_id, "--rotation", str(rotation),
                          "--cache", str(self.workdir / "cache.json"), "--read-timeout", "10"),
            self.workdir / f"client.{self.starts}.log",
            env={"GLANCEBOARD_API_TOKEN": API_TOKEN})
        return self

    def stop(self) -> None:
        if self.child is not None and self.child.alive():
            self.child.terminate()
        self.child = None

    def log(self) -> str:
        return self.child.log() if self.child is not None else ""


@dataclass
class DemoPipeline:
    """Valkey, the API server and the demo producer, with displays added on demand."""

    workdir: Path
    valkey: EmbeddedValkey = field(init=False)
    api: ApiProcess = field(init=False)
    producer: Child = field(init=False)
    displays: list[DisplayProcess] = field(default_factory=list)

    # --- displays ---------------------------------------------------------------------

    def add_display(self, display_id: str, rotation: Sequence[tuple[str, float]] = (
            ("moon", 3600.0),)) -> DisplayProcess:
        display = DisplayProcess(display_id, self.api.url, self.workdir / display_id, rotation)
        self.displays.append(display.start())
        return display

    def display_entry(self, display_id: str) -> dict[str, Any] | None:
        listing = self.api.get("/displays").json()
        return next((d for d in listing.get("displays", []) if d.get("id") == display_id),
                    None)

    def wait_display(self, display_id: str, timeout: float = 30.0, **want: Any
                     ) -> dict[str, Any]:
        """The display's entry of GET /displays once it reports ``want`` (e.g. page=...)."""

        def matches() -> dict[str, Any] | None:
            entry = self.display_entry(display_id)
            ok = entry is not None and all(entry.get(k) == v for k, v in want.items())
            return entry if ok else None

        return wait_until(matches, timeout, what=f"display {display_id} reports {want}")

    # --- settings and profiles over HTTP (set-up and checks; the page is under test) --

    def settings(self) -> dict[str, Any]:
        response = self.api.get("/settings", headers=AUTH)
        response.raise_for_status()
        return response.json()

    def put_settings(self, values: dict[str, Any]) -> dict[str, Any]:
        response = httpx.put(self.api.url + "/settings", json={"values": values},
                             headers=AUTH, timeout=5)
        assert response.status_code == 200, response.text
        return response.json()

    def profile(self, display_id: str) -> dict[str, Any]:
        response = self.api.get(f"/displays/{display_id}/profile")
        response.raise_for_status()
        return response.json()

    def put_profile(self, display_id: str, profile: dict[str, Any]) -> dict[str, Any]:
        response = httpx.put(f"{self.api.url}/displays/{display_id}/profile", json=profile,
                             headers=AUTH, timeout=5)
        assert response.status_code == 200, response.text
        return response.json()

    def delete_profile(self, display_id: str) -> None:
        response = httpx.delete(f"{self.api.url}/displays/{display_id}/profile",
                                headers=AUTH, timeout=5)
        assert response.status_code in (200, 204, 404), response.text

    def restart_valkey(self) -> None:
        """SIGTERM (Valkey writes its data) and start again on the same port."""
        self.valkey.stop()
        self.valkey.start()
        self.api.wait_ready(timeout=30)

    def logs(self) -> str:
        """Every part's output, for a failure message."""
        parts = [f"--- api\n{self.api.output()}", f"--- producer\n{self.producer.log()}"]
        parts += [f"--- display {d.display_id}\n{d.log()}" for d in self.displays]
        return "\n".join(parts)


@contextmanager
def demo_pipeline(workdir: Path, *, seed: int = 7) -> Iterator[DemoPipeline]:
    """The pipeline, ready: the API server holds the demo's Weather. Every part is stopped
    on the way out, in reverse order."""
    pipeline = DemoPipeline(workdir)
    pipeline.valkey = EmbeddedValkey(workdir / "valkey", port=0)
    pipeline.valkey.start()
    try:
        with running_api_server(pipeline.valkey.url, token=API_TOKEN,
                                extra_args=["--heartbeat", "0.5"]) as api:
            pipeline.api = api
            pipeline.producer = Child(
                python_module("server.producers", "demo", "--redis-url", pipeline.valkey.url,
                              "--seed", str(seed), "--period", "1", *PRODUCER_FLAGS),
                workdir / "producer.log")
            try:
                wait_until(lambda: "Weather" in api.get("/state").json()["state"], 30,
                           what="the demo's Weather held by the API server")
                yield pipeline
            finally:
                for display in reversed(pipeline.displays):
                    with contextlib.suppress(AssertionError):
                        display.stop()
                pipeline.producer.terminate()
    finally:
        pipeline.valkey.stop()


# --- the screenshots ------------------------------------------------------------------------


def side_by_side(*shots: bytes, gap: int = 24) -> Image.Image:
    """PNG screenshots in one row, top-aligned, on the dashboard's background."""
    images = [Image.open(io.BytesIO(shot)).convert("RGB") for shot in shots]
    width = sum(i.width for i in images) + gap * (len(images) + 1)
    height = max(i.height for i in images) + 2 * gap
    sheet = Image.new("RGB", (width, height), BACKGROUND)
    x = gap
    for image in images:
        sheet.paste(image, (x, gap))
        x += image.width + gap
    return sheet


def take_screenshots(out: Path) -> list[Path]:
    """settings-page.png and displays.png of a demo pipeline, into ``out``."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, chromium_executable, wait_for_js

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="glanceboard-shots-") as tmp, \
            demo_pipeline(Path(tmp)) as pipeline:
        pipeline.put_settings({"place": "Berlin", "latitude": 52.52, "longitude": 13.405,
                               "timezone": "Europe/Berlin", "units": "metric",
                               "mlb_teams": ["NYY"], "nfl_teams": ["KC", "BUF"],
                               "github_repo": "example/glanceboard"})
        pipeline.add_display("kitchen")
        pipeline.add_display("hall", rotation=(("clock", 3600.0),))
        stored = pipeline.put_profile("kitchen", {
            "timezone": "Europe/Berlin",
            "rotation": [
                {"page": "clock", "seconds": 10, "enabled": True, "when": "always",
                 "schedule": [{"days": ["mon", "tue", "wed", "thu", "fri"],
                               "from": "06:30", "to": "09:00"}]},
                {"page": "weather", "seconds": 12, "enabled": True, "when": "fresh",
                 "schedule": []},
                {"page": "mlb", "seconds": 15, "enabled": True, "when": "favourite_live",
                 "schedule": []},
                {"page": "calendar", "seconds": 10, "enabled": False, "when": "has_data",
                 "schedule": []},
            ],
            "brightness": [{"at": "07:00", "percent": 100}, {"at": "22:00", "percent": 15}]})
        pipeline.wait_display("kitchen", profile_applied=stored["version"])
        pipeline.wait_display("hall")
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=chromium_executable(),
                                             args=list(CHROMIUM_ARGS))
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 900},
                                              device_scale_factor=1)
                context.add_init_script(
                    f"localStorage.setItem('glanceboard.controlToken', '{API_TOKEN}')")
                page = context.new_page()
                page.goto(pipeline.api.url + "/#settings")
                page.wait_for_selector("[data-setting='place'] input")
                wait_for_js(page, "document.fonts.status === 'loaded'")
                settings_png = out / "settings-page.png"
                page.screenshot(path=str(settings_png), full_page=True)
                page.goto(pipeline.api.url + "/")
                wait_for_js(page, "document.documentElement.dataset.connection === 'live'")
                page.wait_for_selector("#displays-rows tr[data-display='hall']")
                page.wait_for_selector("[data-profile-state='kitchen'][data-match='yes']")
                listing = page.locator("#displays").screenshot()
                page.set_viewport_size({"width": 1280, "height": 1200})
                page.click("[data-edit-profile='kitchen']")
                page.wait_for_selector(".rotation-entry[data-page='mlb']")
                page.wait_for_selector("#profile-versions[data-match='yes']")
                editor = page.locator("#profile-dialog").screenshot()
                displays_png = out / "displays.png"
                side_by_side(listing, editor).save(displays_png, optimize=True)
            finally:
                browser.close()
    return [settings_png, displays_png]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.dashboard_screenshots",
        description="Screenshots of the dashboard's settings page and display profiles, "
                    "in headless Chromium against a real demo pipeline.")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--write", action="store_true",
                       help=f"write them to {DOCS_IMAGES.relative_to(ROOT)}/")
    where.add_argument("--out", type=Path, metavar="DIR", help="write them to DIR")
    args = parser.parse_args(argv)
    for path in take_screenshots(DOCS_IMAGES if args.write else args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
