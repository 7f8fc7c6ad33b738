"""GitHub producer: REST answers replayed from tests/recorded over real HTTP."""

from __future__ import annotations

import copy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from glanceboard.payloads import original
from server.producers.base import ConfigError
from server.producers.github import GitHub, map_github
from tests.producer_support import (
    RecordedServer,
    check_names_field,
    check_process_publishes,
    make_producer,
    recorded,
    recorded_json,
    seconds_valid,
    upstream_fixture,  # noqa: F401 - the `upstream` fixture
)
from tests.upstream_failures import UpstreamFailureTests

REPO = "octo-org/glance"
COMMITS = f"/repos/{REPO}/commits"
RUNS = f"/repos/{REPO}/actions/runs"
LATEST = "9fceb02d0ae598e95dc970b74767f19372d61af8"
NY = ZoneInfo("America/New_York")


def serve_recorded(upstream: RecordedServer) -> None:
    upstream.serve(COMMITS, recorded("github_commits.json"))
    upstream.serve(RUNS, recorded("github_runs.json"), query={"status": "success"})
    upstream.serve(RUNS, recorded("github_runs_head.json"), query={"head_sha": LATEST})


def producer(url: str, *extra: str) -> GitHub:
    return make_producer(GitHub, ["--base-url", url, "--repo", REPO, "--timezone",
                                  "America/New_York", *extra])


def expected() -> dict[str, str]:
    return {"latest_commit": "9fceb02", "last_successful_commit": "3f1e2a7",
            # The original's forms: the whole message, the author date as text.
            "commit_message": "Weather page: show wind gusts\n\n"
                              "Gusts above 25 mph now blink on the panel.",
            "date": "2026-11-26 10:02:11 AM EST", "repo": REPO,
            "status": "pending"}  # the newest commit's run is still in progress


def test_mapping_follows_the_recorded_answers() -> None:
    values = map_github(REPO, recorded_json("github_commits.json"),
                        recorded_json("github_runs.json"),
                        recorded_json("github_runs_head.json"), NY)
    assert values == expected()
    assert original.values_problems("GitHub", values) == []


def test_status_success_and_failure() -> None:
    commits = recorded_json("github_commits.json")
    runs = recorded_json("github_runs.json")
    head = recorded_json("github_runs_head.json")
    green = copy.deepcopy(runs)
    green["workflow_runs"][0]["head_sha"] = LATEST
    values = map_github(REPO, commits, green, head, NY)
    assert (values["status"], values["last_successful_commit"]) == ("success", "9fceb02")
    red = copy.deepcopy(head)
    red["workflow_runs"][0].update({"status": "completed", "conclusion": "failure"})
    assert map_github(REPO, commits, runs, red, NY)["status"] == "failure"
    none = {"total_count": 0, "workflow_runs": []}
    values = map_github(REPO, commits, none, none, NY)
    # No successful run: the original's sentinel.
    assert (values["status"], values["last_successful_commit"]) == ("pending", "0000000")


@pytest.mark.parametrize(("which", "mutate", "field"), [
    ("commits", lambda r: r[0].pop("sha"), "commits[0].sha"),
    ("commits", lambda r: r[0]["commit"].__setitem__("message", None),
     "commits[0].commit.message"),
    ("commits", lambda r: r.clear(), "commits"),
    ("runs", lambda r: r.pop("workflow_runs"), "runs.workflow_runs"),
    ("runs", lambda r: r["workflow_runs"][0].__setitem__("head_sha", "main"),
     "runs.workflow_runs[0].head_sha"),
    ("head", lambda r: r["workflow_runs"][0].pop("status"), "head_runs.workflow_runs[0].status"),
])
def test_changed_shape_names_the_field(which: str, mutate, field: str) -> None:
    answers = {"commits": recorded_json("github_commits.json"),
               "runs": recorded_json("github_runs.json"),
               "head": recorded_json("github_runs_head.json")}
    mutate(answers[which])
    check_names_field(lambda: map_github(REPO, answers["commits"], answers["runs"],
                                         answers["head"], NY), field)


def test_fetch_sends_token_from_a_secret_file(upstream: RecordedServer, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    serve_recorded(upstream)
    token = tmp_path / "token"
    token.write_text("ghp_example123\n")
    monkeypatch.setenv("GITHUB_TOKEN_FILE", str(token))
    assert producer(upstream.url, "--branch", "main").fetch() == expected()
    commits, successful, head = upstream.seen[-3:]
    assert commits.headers["authorization"] == "Bearer ghp_example123"
    assert commits.query == {"per_page": ["1"], "sha": ["main"]}
    assert successful.query == {"status": ["success"], "per_page": ["1"], "branch": ["main"]}
    assert head.query["head_sha"] == [LATEST]


def test_token_is_optional(upstream: RecordedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    serve_recorded(upstream)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GITHUB_TOKEN_FILE", raising=False)
    producer(upstream.url).fetch()
    assert "authorization" not in upstream.seen[-1].headers
    # An optional Kubernetes Secret key that is absent: the file is not there.
    monkeypatch.setenv("GITHUB_TOKEN_FILE", "/nonexistent/github-token")
    producer(upstream.url).fetch()
    assert "authorization" not in upstream.seen[-1].headers
    monkeypatch.setenv("GITHUB_TOKEN", "from-env")
    producer(upstream.url).fetch()
    assert upstream.seen[-1].headers["authorization"] == "Bearer from-env"


def test_repo_is_required_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_REPO", raising=False)
    with pytest.raises(ConfigError, match="GITHUB_REPO"):
        make_producer(GitHub, []).fetch()
    with pytest.raises(ConfigError, match="owner/name"):
        make_producer(GitHub, ["--repo", "just-a-name"]).fetch()


class TestUpstreamFailures(UpstreamFailureTests):
    kind, path, changed_field = "GitHub", COMMITS, "commits[0].commit.author"

    def make(self, url: str) -> GitHub:
        return producer(url)

    def serve_good(self, upstream: RecordedServer) -> None:
        serve_recorded(upstream)

    def serve_changed(self, upstream: RecordedServer) -> None:
        serve_recorded(upstream)
        raw = recorded_json("github_commits.json")
        del raw[0]["commit"]["author"]
        upstream.serve(COMMITS, raw)


def test_process_publishes(upstream: RecordedServer, valkey, tmp_path: Path) -> None:
    serve_recorded(upstream)
    token = tmp_path / "token"
    token.write_text("ghp_process\n")
    message = check_process_publishes("github", ["--base-url", upstream.url], valkey.url,
                                      "GitHub", env={"GITHUB_REPO": REPO,
                                                     "GITHUB_TOKEN_FILE": str(token),
                                                     "TIMEZONE": "America/New_York"})
    assert message["values"] == expected()
    assert seconds_valid(message) == 300
    assert upstream.seen[-1].headers["authorization"] == "Bearer ghp_process"
