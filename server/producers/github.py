"""A repository's latest commit and its CI state from the GitHub REST API.

Three GETs per round: the newest commit of the branch, the newest successful
workflow run of the branch, and the runs of the newest commit (for
``status``). A token is optional (60 requests/hour without one, so keep the
period at 5 minutes or more); give it in ``GITHUB_TOKEN`` or, better, a file
named by ``GITHUB_TOKEN_FILE`` (a mounted Kubernetes Secret).
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any

from glanceboard.payloads.github import GitHub as GitHubView
from server.producers.base import ConfigError, Producer, option
from server.producers.place import add_zone_argument, local_zone
from server.producers.secrets import read_secret_file
from server.producers.shape import Field, UpstreamShapeError, require_original_shape

log = logging.getLogger("glanceboard.producer.github")

SHORT_SHA = 7
FAILED = {"failure", "cancelled", "timed_out", "startup_failure", "action_required"}


def _sha(text: Field) -> str:
    sha = text.str()
    if len(sha) < SHORT_SHA or any(c not in "0123456789abcdef" for c in sha.lower()):
        raise UpstreamShapeError(text.source, text.path, f"is not a commit SHA: {sha!r:.50}")
    return sha


def latest_commit(commits: Any) -> tuple[Field, str]:
    """The newest commit of the commits answer, and its full SHA."""
    latest = Field(commits, "GitHub", "commits").index(0)
    return latest, _sha(latest.key("sha"))


def ci_status(latest_sha: str, successful_sha: str | None, head_runs: Any) -> str:
    """``success``, ``failure`` or ``pending`` for the latest commit."""
    if successful_sha == latest_sha:
        return "success"
    runs = list(Field(head_runs, "GitHub", "head_runs").key("workflow_runs").items())
    if any(run.key("status").str() != "completed" for run in runs):
        return "pending"
    for run in runs:
        conclusion = run.opt("conclusion")
        if conclusion is not None and conclusion.str() in FAILED:
            return "failure"
    return "success" if runs else "pending"


def map_github(repo: str, commits: Any, successful_runs: Any, head_runs: Any,
               zone: Any) -> dict[str, Any]:
    """The three GitHub answers -> the ``GitHub`` values of docs/payloads.md."""
    latest, latest_sha = latest_commit(commits)
    commit = latest.key("commit")
    runs = Field(successful_runs, "GitHub", "runs").key("workflow_runs")
    successful_sha = _sha(runs.index(0).key("head_sha")) if runs.list() else None
    return GitHubView(
        latest_commit=latest_sha[:SHORT_SHA],
        last_successful_commit=successful_sha[:SHORT_SHA] if successful_sha else None,
        message=commit.key("message").str(),  # whole, as the original sends it
        date=commit.key("author").key("date").time(zone),
        repo=repo,
        status=ci_status(latest_sha, successful_sha, head_runs),
    ).to_values()


class GitHub(Producer):
    name = "GitHub"
    type = "GitHub"
    default_period = 300
    base_url = "https://api.github.com/"
    description = "latest commit and last successful workflow run of a repository"
    household = {"timezone": "timezone", "github_repo": "repo"}

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        option(parser, "--repo", env="GITHUB_REPO", help="owner/name of the repository; required")
        option(parser, "--branch", env="GITHUB_BRANCH",
               help="branch to watch (default the repository's default branch)")
        option(parser, "--token-file", env="GITHUB_TOKEN_FILE",
               help="file holding an access token (or the token itself in env GITHUB_TOKEN; "
               "optional)")
        add_zone_argument(parser)

    def token(self) -> str | None:
        path = self.setting("token_file", None, env="GITHUB_TOKEN_FILE")
        if path and Path(path).exists():
            return read_secret_file(path, f"{self.name}: token file") or None
        if path:  # an optional Kubernetes Secret key that is not there: no token
            log.info("GitHub: no token file at %s; asking without a token", path)
        return self.setting("token", None, env="GITHUB_TOKEN")

    def fetch(self) -> dict[str, Any]:
        repo = str(self.setting("repo", None, env="GITHUB_REPO", required=True))
        if repo.count("/") != 1 or not all(repo.split("/")):
            raise ConfigError(f"GitHub: repo {repo!r} is not owner/name (--repo, env "
                              "GITHUB_REPO)")
        branch = self.setting("branch", None, env="GITHUB_BRANCH")
        headers = {"Accept": "application/vnd.github+json",
                   "X-GitHub-Api-Version": "2022-11-28"}
        if token := self.token():
            headers["Authorization"] = f"Bearer {token}"
        commit_params: dict[str, Any] = {"per_page": 1}
        run_params: dict[str, Any] = {"status": "success", "per_page": 1}
        if branch:
            commit_params["sha"] = branch
            run_params["branch"] = branch
        commits = self.get_json(f"repos/{repo}/commits", params=commit_params, headers=headers)
        successful = self.get_json(f"repos/{repo}/actions/runs", params=run_params,
                                   headers=headers)
        _, latest_sha = latest_commit(commits)  # the CI state is asked of this commit
        head_runs = self.get_json(f"repos/{repo}/actions/runs",
                                  params={"head_sha": latest_sha, "per_page": 20},
                                  headers=headers)
        return map_github(repo, commits, successful, head_runs, local_zone(self))

    def check_shape(self, kind: str, values: Any) -> None:
        require_original_shape(kind, values)


PRODUCER = GitHub
