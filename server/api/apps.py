"""Apps pushed over HTTP: the body model, the name rule, and the live set (no I/O).

``PUT /apps/{name}`` bodies are validated by :class:`AppBody`, the one model the
served JSON schema (``GET /apps/schema``) is generated from, so the two cannot
drift. An accepted app joins the live set, which travels as one ``Apps``
envelope (docs/apps.md, docs/PROTOCOL.md): the whole set with each app's absolute
expiry, so every display shows the same apps and the state hash keeps them
across restarts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from glanceboard import strictjson
from glanceboard.envelope import Envelope, RejectedMessage, validate_object
from glanceboard.payloads import names
from glanceboard.payloads.apps import MAX_APPS, App, Apps, hex_of
from glanceboard.payloads.read import hex_color
from glanceboard.payloads.times import stamp_minutes, stamp_seconds
from matrix_client.render import colors
from matrix_client.render.app_image import MAX_BASE64_CHARS, ImageError, decode_image
from matrix_client.render.widgets.icon import ICON_NAMES

MAX_BODY_BYTES = 16 * 1024  # one app: an 8 KiB image is about 11 KiB of base64
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
RESERVED_NAMES = frozenset({"schema"})  # GET /apps/schema
MAX_LIFETIME = 7 * 24 * 3600
DEFAULT_LIFETIME = 3600
# An empty set stays true until someone pushes: valid this far ahead.
EMPTY_VALID = timedelta(days=365)
PALETTE = tuple(name.lower() for name, value in vars(colors).items()
                if name.isupper() and isinstance(value, tuple) and len(value) == 3)
COLOR_PATTERN = "^(#[0-9a-fA-F]{6}|" + "|".join(PALETTE) + ")$"

ColorText = Annotated[str, Field(pattern=COLOR_PATTERN,
                                 description="#rrggbb or a palette name: " + ", ".join(PALETTE))]
Line = Annotated[str, Field(min_length=1, max_length=100)]


class Chart(BaseModel):
    """A short series drawn under the text: a line or bars."""

    model_config = ConfigDict(extra="forbid", strict=True)
    values: list[float | None] = Field(min_length=1, max_length=64,
                                       description="numbers; null leaves a gap in a line")
    kind: Literal["line", "bars"] = "line"
    color: ColorText | None = None


class AppBody(BaseModel):
    """The body of ``PUT /apps/{name}``: what the card shows, for how long, and until when."""

    model_config = ConfigDict(extra="forbid", strict=True, title="glanceboard app")
    text: str | None = Field(None, min_length=1, max_length=200,
                             description="one line; it scrolls when it does not fit")
    lines: list[Line] | None = Field(None, min_length=1, max_length=4,
                                     description="up to 4 lines, each shortened to fit")
    icon: Literal[ICON_NAMES] | None = Field(  # type: ignore[valid-type]
        None, description="one of the project's drawn icons")
    image: str | None = Field(
        None, max_length=MAX_BASE64_CHARS,
        description="base64 of a PNG or GIF (animated GIFs play), at most 8 KiB, "
                    "128x64 px and 32 frames")
    color: ColorText | None = Field(None, description="text colour")
    background: ColorText | None = None
    progress: float | None = Field(None, ge=0, le=100, description="a bar, in percent")
    progress_color: ColorText | None = None
    chart: Chart | None = None
    duration: int = Field(8, ge=1, le=300, description="seconds on screen per turn")
    lifetime: int = Field(DEFAULT_LIFETIME, ge=1, le=MAX_LIFETIME,
                          description="seconds until the app disappears by itself")

    @model_validator(mode="after")
    def _content(self) -> AppBody:
        if self.text is not None and self.lines is not None:
            raise ValueError("give text or lines, not both")
        if self.icon is not None and self.image is not None:
            raise ValueError("give icon or image, not both")
        shows = (self.text, self.lines, self.icon, self.image, self.progress, self.chart)
        if all(value is None for value in shows):
            raise ValueError("nothing to show: give text, lines, icon, image, progress or chart")
        return self


class AppRejected(ValueError):
    """A request refused: ``status`` is the HTTP status, ``errors`` (field, message) pairs."""

    def __init__(self, status: int, detail: str,
                 errors: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(detail)
        self.status = status
        self.errors = list(errors)

    def body(self) -> dict[str, Any]:
        return {"detail": str(self),
                "errors": [{"field": field, "message": message} for field, message in self.errors]}


def schema() -> dict[str, Any]:
    return AppBody.model_json_schema()


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name) or name in RESERVED_NAMES:
        reason = (f"{name!r:.40} is reserved" if name in RESERVED_NAMES else
                  f"{name!r:.40} is not 1-32 of a-z, 0-9, '-' and '_', starting with a "
                  "letter or digit")
        raise AppRejected(400, f"bad app name: {reason}", [("name", reason)])
    return name


def _field(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc) or "body"


def parse_body(raw: bytes) -> AppBody:
    """``raw`` as a valid app body, or :class:`AppRejected` naming every bad field."""
    if not raw.strip():
        raise AppRejected(400, "the body must be a JSON object describing the app",
                          [("body", "empty")])
    try:
        obj = strictjson.read(raw)
    except RejectedMessage as exc:
        message = f"not JSON in the strict sense ({exc.reason}: {exc.detail})"
        raise AppRejected(400, message, [("body", message)]) from None
    if not isinstance(obj, dict):
        message = f"must be a JSON object, got {type(obj).__name__}"
        raise AppRejected(400, message, [("body", message)])
    try:
        body = AppBody.model_validate(obj)
    except ValidationError as exc:
        errors = [(_field(err["loc"]), err["msg"].removeprefix("Value error, "))
                  for err in exc.errors(include_url=False)]
        raise AppRejected(422, "invalid app: " + "; ".join(f"{f}: {m}" for f, m in errors),
                          errors) from None
    if body.image is not None:
        try:
            decode_image(body.image)
        except ImageError as exc:
            raise AppRejected(422, f"invalid app: image: {exc}", [("image", str(exc))]) from None
    return body


def _color_hex(text: str | None) -> str | None:
    """A body colour (``#rrggbb`` or a palette name) as ``#rrggbb``."""
    if text is None:
        return None
    return hex_of(hex_color(text) if text.startswith("#") else getattr(colors, text.upper()))


def to_app(name: str, body: AppBody, now_ms: int) -> App:
    """The app as it travels: colours as ``#rrggbb``, the lifetime as an absolute expiry."""
    fields = body.model_dump(exclude={"lifetime"}, exclude_none=True)
    for key in ("color", "background", "progress_color"):
        if key in fields:
            fields[key] = _color_hex(fields[key])
    if body.chart is not None:
        fields["chart"]["color"] = _color_hex(body.chart.color)
    app = App.parse({**fields, "name": name, "expires": now_ms + body.lifetime * 1000,
                     "updated": now_ms})
    if app is None:  # the lenient reader takes everything the model lets through
        raise AssertionError(f"app {name!r} was validated but does not read back")
    return app


def with_app(live: Apps, app: App, now_ms: int) -> Apps:
    """``live`` less what expired, with ``app`` added or replaced; 409 past the count limit."""
    kept = [a for a in live.live(now_ms) if a.name != app.name]
    if len(kept) >= MAX_APPS:
        raise AppRejected(409, f"{len(kept)} apps are live, the limit is {MAX_APPS}: "
                          "delete one first (DELETE /apps/{name})", [("name", "too many apps")])
    return Apps.of([*kept, app])


def without_app(live: Apps, name: str, now_ms: int) -> Apps:
    kept = [a for a in live.live(now_ms) if a.name != name]
    if len(kept) == len(live.live(now_ms)):
        raise AppRejected(404, f"no live app named {name!r}", [("name", "not found")])
    return Apps.of(kept)


def envelope_of(live: Apps, now: datetime, held_ts: int | None, max_bytes: int) -> Envelope:
    """The ``Apps`` envelope of ``live``; ``ts`` grows past the held one even if clocks
    step back, and 413 when the whole set would be over the message limit."""
    now_ms = int(now.timestamp() * 1000)
    ts = max(now_ms, (held_ts or 0) + 1)
    latest = max((a.expires for a in live.apps), default=None)
    valid = (datetime.fromtimestamp(latest / 1000, now.tzinfo) if latest is not None
             else now + EMPTY_VALID)
    envelope = validate_object({
        "type": names.APPS, "values": live.to_values(), "updated": stamp_minutes(now),
        "valid": stamp_seconds(valid), "ts": ts,
    }, now_ms)
    if len(envelope.encoded) > max_bytes:
        raise AppRejected(413, f"the live apps together would be {len(envelope.encoded)} bytes, "
                          f"over the message limit of {max_bytes}: delete an app or send a "
                          "smaller image", [("image", "the set of apps is too large")])
    return envelope


def listing(live: Apps, now_ms: int) -> dict[str, Any]:
    """The ``GET /apps`` body: the live apps as stored, each with the seconds it has left."""
    return {"apps": [{**app.to_values(), "expires_in": round((app.expires - now_ms) / 1000, 1)}
                     for app in live.live(now_ms)],
            "limit": MAX_APPS}
