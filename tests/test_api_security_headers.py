"""The API server's security headers: a strict Content-Security-Policy on the dashboard
and every answer, who may frame it as a setting, and the dashboard working under it."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import BrowserContext

from server.api.security_headers import check_frame_ancestors, policy
from server.valkey import EmbeddedValkey
from tests.browser import (  # noqa: F401 (the *_fixture names are fixtures)
    browser_context_fixture,
    chromium_fixture,
    open_dashboard,
    playwright_driver_fixture,
)
from tests.servers import API_TOKEN, ApiProcess, running_api_server


def _directives(header: str) -> dict[str, str]:
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in header.split("; ")}


def test_every_answer_carries_the_policy(api_server: ApiProcess) -> None:
    for path in ("/", "/app.js", "/style.css", "/state", "/health", "/no-such-thing"):
        answer = httpx.get(api_server.url + path, timeout=5)
        csp = _directives(answer.headers["content-security-policy"])
        assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'", path
        assert csp["frame-ancestors"] == "'self'", path  # the default
        assert csp["img-src"] == "'self' data: blob:", path
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert answer.headers["referrer-policy"] == "no-referrer", path


def test_the_event_stream_still_streams(api_server: ApiProcess) -> None:
    with httpx.stream("GET", api_server.url + "/events", timeout=5) as answer:
        assert answer.headers["content-type"].startswith("text/event-stream")
        first = next(answer.iter_lines())
        assert first.startswith(("id:", "event:", "retry:", ":", "data:"))


@pytest.mark.parametrize("given,header", [
    ("http://homeassistant.local:8123", "http://homeassistant.local:8123"),
    ("'self',https://ha.example.org", "'self' https://ha.example.org"),
    ("", "'none'"),
])
def test_frame_ancestors_is_a_setting(valkey: EmbeddedValkey, given: str, header: str) -> None:
    with running_api_server(valkey.url, token=API_TOKEN,
                            extra_args=["--frame-ancestors", given]) as api:
        answer = httpx.get(api.url + "/", timeout=5)
    assert _directives(answer.headers["content-security-policy"])["frame-ancestors"] == header


@pytest.mark.parametrize("bad", [
    "x; script-src *", "http://a.example\r\nX-Evil: 1", "javascript:alert(1)", "*", "ha.local",
])
def test_an_origin_that_could_change_the_policy_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not an origin a frame may come from"):
        check_frame_ancestors([bad])
    assert "frame-ancestors 'none'" in policy(())


def test_the_dashboard_runs_under_the_policy_and_it_is_enforced(
        api_server: ApiProcess, browser_context: BrowserContext) -> None:
    """The page loads, streams and draws with no violation (open_dashboard fails on any
    console error, which is where Chromium reports one), and an inline script that a
    message's text could have become is refused."""
    tab = open_dashboard(browser_context, api_server.url + "/")
    refused = tab.page.evaluate("""() => new Promise((resolve) => {
        document.addEventListener("securitypolicyviolation",
                                  (e) => resolve(e.violatedDirective), { once: true });
        window.__ran = false;
        const script = document.createElement("script");
        script.textContent = "window.__ran = true";
        document.body.append(script);
        setTimeout(() => resolve(window.__ran ? "ran" : "no report"), 2000);
    })""")
    assert refused.startswith("script-src")
    assert tab.page.evaluate("window.__ran") is False
    tab.errors[:] = [e for e in tab.errors if "Content Security Policy" not in e]
    tab.assert_no_errors()
