"""Offline demo data for every message type: a pure function of (seed, place, time).

Every random choice is drawn from a generator seeded with the seed and the
thing it is about (an hour, a day, a game), never from call history, so the
same seed and time always give the same data, and data at nearby times is
consistent (a game's score only grows, the temperature changes smoothly).
Shapes: docs/payloads.md, written by the models of glanceboard.payloads (the
original's fields and ours), as the real producers write them. Sun and moon
come from the ``astral`` library.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from astral import Observer
from astral import moon as astral_moon
from astral import sun as astral_sun

from glanceboard.payloads.aqi import Aqi
from glanceboard.payloads.events import FamilyEvent
from glanceboard.payloads.github import GitHub
from glanceboard.payloads.mlb import parse_games, write_games
from glanceboard.payloads.nfl import Week
from glanceboard.payloads.teams import espn_mlb
from glanceboard.payloads.weather import COMPASS, Weather
from glanceboard.timefmt import format_time
from server.producers.demo_teams import MLB_TEAMS, NFL_TEAMS

# OpenWeatherMap condition ids used by the demo, with their descriptions.
CONDITIONS = {
    800: "clear sky", 801: "few clouds", 802: "scattered clouds", 803: "broken clouds",
    804: "overcast clouds", 300: "light drizzle", 500: "light rain", 501: "moderate rain",
    211: "thunderstorm", 600: "light snow", 601: "snow", 701: "mist", 741: "fog",
}
# How notable a condition is, to pick a day's headline condition.
SEVERITY = {800: 0, 801: 1, 802: 2, 803: 3, 804: 4, 701: 5, 741: 5, 300: 6, 500: 7,
            600: 7, 501: 8, 601: 8, 211: 9}

CALENDAR_ITEMS = (
    ("Dentist", 60), ("Team standup", 30), ("Piano lesson", 45), ("Book club", 90),
    ("Car service", 120), ("Vet appointment", 45), ("Parent-teacher conference", 30),
    ("Yoga", 60), ("Dinner with Sam and Alex", 120), ("Haircut", 45),
    ("Plumber visit", 90), ("Soccer practice", 90), ("1:1 with manager", 30),
    ("Grocery pickup", 30), ("Swim lessons", 45), ("Date night", 150),
)
FAMILY_NAMES = ("Mom", "Dad", "Emma", "Noah", "Grandma Rose", "Uncle Ben", "Aunt Lucy",
                "Olivia", "Liam")
FAMILY_ITEMS = ("School concert", "Field trip", "Science fair", "Camping trip",
                "Family reunion", "Recital", "Early dismissal", "Visit to Grandma",
                "Beach weekend", "Museum day")
COMMIT_MESSAGES = (
    "Fix the moon page when the moon does not rise", "Show gusts on the weather page",
    "Retry the AQI fetch on 503", "Faster SSE fan-out", "Calendar: all-day events",
    "Bump dependencies", "NFL: show possession", "Dim the panel at night",
    "Docs: how to run on a Pi", "MLB: extra innings", "Refactor the page rotation",
    "Web: reconnect with Last-Event-ID", "Tests for the KV updater",
    "Uptime page lists producers",
)
NFL_NETWORKS = ("CBS", "FOX", "NBC", "ESPN", "Prime Video")


@dataclass(frozen=True)
class Place:
    """Where the demo's weather, sun and moon are."""

    name: str = "New York"
    latitude: float = 40.7128
    longitude: float = -74.0060
    timezone: str = "America/New_York"

    @property
    def tz(self) -> tzinfo:
        return ZoneInfo(self.timezone)

    @property
    def observer(self) -> Observer:
        return Observer(latitude=self.latitude, longitude=self.longitude)


Team = tuple[str, str, str]
TEMPERATURES = ("temp", "fl", "hi", "lo")
SPEEDS = ("windSpeed", "windGust")


def to_metric(entry: dict[str, Any]) -> None:
    """One weather entry's °F and mph as °C and km/h, in place."""
    for key in TEMPERATURES:
        if isinstance(entry.get(key), int | float):
            entry[key] = round((entry[key] - 32) * 5 / 9, 1)
    for key in SPEEDS:
        if isinstance(entry.get(key), int | float):
            entry[key] = round(entry[key] * 1.609344, 1)


def with_favourite(pairs: list[tuple[Team, Team]], teams: tuple[Team, ...],
                   favourites: tuple[str, ...], espn: Callable[[str], str]
                   ) -> list[tuple[Team, Team]]:
    """``pairs`` with the first favourite in the first game, unless it plays already
    (``espn`` turns the demo's abbreviation into ESPN's, the favourites' form)."""
    if not favourites or not pairs:
        return pairs
    wanted = favourites[0]
    if any(espn(team[0]) == wanted for pair in pairs for team in pair):
        return pairs
    found = next((team for team in teams if espn(team[0]) == wanted), None)
    if found is None:
        return pairs
    return [(pairs[0][0], found), *pairs[1:]]  # at home: the venue is the favourite's


def _lerp(a: float, b: float, fraction: float) -> float:
    return a + (b - a) * fraction


class DemoWorld:
    """The demo's data at any moment: ``messages(now)`` -> ``{type: values}``."""

    def __init__(self, seed: int = 1, place: Place | None = None,
                 twelve_hour: bool = True, units: str = "imperial",
                 mlb_teams: tuple[str, ...] = (), nfl_teams: tuple[str, ...] = ()) -> None:
        self.seed = seed
        self.place = place or Place()
        self.twelve_hour = twelve_hour
        self.metric = units == "metric"
        # Favourite teams (ESPN abbreviations): the first one plays every day, so the
        # pages that follow favourites have a game to show.
        self.mlb_teams = mlb_teams
        self.nfl_teams = nfl_teams
        self._sun_cache: dict[date, dict[str, datetime] | None] = {}

    # --- deterministic randomness -----------------------------------------------

    def rng(self, *key: Any) -> random.Random:
        """A generator seeded by the seed and ``key`` only (stable across Python runs)."""
        text = "|".join([str(self.seed), *map(str, key)])
        return random.Random(int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big"))

    def local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("the demo clock must be timezone-aware")
        return moment.astimezone(self.place.tz)

    def messages(self, now: datetime) -> dict[str, Any]:
        now = self.local(now)
        return {
            "Weather": self.weather(now),
            "AQI": self.aqi(now),
            "Moon": self.moon(now),
            "Calendar": self.calendar(now),
            "Events": self.events(now),
            "GitHub": self.github(now),
            "MLB": self.mlb(now),
            "NFL": self.nfl(now),
        }

    # --- sun and moon ---------------------------------------------------------

    def sun(self, day: date) -> dict[str, datetime] | None:
        """Sunrise/sunset of ``day`` at the place; None where the sun does not rise or set."""
        if day not in self._sun_cache:
            try:
                self._sun_cache[day] = astral_sun.sun(self.place.observer, day,
                                                      tzinfo=self.place.tz)
            except ValueError:  # polar day or night
                self._sun_cache[day] = None
        return self._sun_cache[day]

    def is_day(self, moment: datetime) -> bool:
        times = self.sun(moment.date())
        if times is None:  # polar day or night: call the daytime hours day
            return 7 <= moment.hour < 19
        return times["sunrise"] <= moment < times["sunset"]

    def clock(self, moment: datetime) -> str:
        return moment.strftime("%I:%M %p" if self.twelve_hour else "%H:%M")

    def moon(self, now: datetime) -> dict[str, Any]:
        age = astral_moon.phase(now.date()) + now.hour / 24  # days since new moon (of 28)
        fraction = (age / 28.0) % 1.0
        phase = int(fraction * 100) % 100
        illum = (1 - math.cos(fraction * 2 * math.pi)) * 50
        values: dict[str, Any] = {"phase": phase, "illumstr": f"{illum:.1f}%"}
        for key, (label, moment) in (("sunevent", self._next_sun_event(now)),
                                     ("moonevent", self._next_moon_event(now))):
            values[key] = f"{label:<10}{self.clock(moment) if moment else '--:--'}"
            if moment is not None:  # beside the text: displays show it in their own zone
                values[key + "_at"] = format_time(moment)
        return values

    def _next_sun_event(self, now: datetime) -> tuple[str, datetime | None]:
        for offset in range(3):
            times = self.sun(now.date() + timedelta(days=offset))
            if times is None:
                continue
            for label, key in (("Sunrise:", "sunrise"), ("Sunset:", "sunset")):
                if times[key] > now:
                    return label, times[key]
        return "Sunrise:", None

    def _next_moon_event(self, now: datetime) -> tuple[str, datetime | None]:
        events: list[tuple[datetime, str]] = []
        observer, tz = self.place.observer, self.place.tz
        for offset in range(3):
            day = now.date() + timedelta(days=offset)
            for label, fn in (("Moonrise:", astral_moon.moonrise),
                              ("Moonset:", astral_moon.moonset)):
                try:
                    moment = fn(observer, day, tz)
                except ValueError:  # no such event that day
                    continue
                if moment is not None and moment > now:
                    events.append((moment, label))
        if not events:
            return "Moonrise:", None
        moment, label = min(events)
        return label, moment

    # --- weather --------------------------------------------------------------

    def _season_phase(self, day: date) -> float:
        """0 at mid-January (coldest) to 0.5 mid-July (warmest), for the north."""
        phase = ((day.timetuple().tm_yday - 15) / 365.25) % 1.0
        return phase if self.place.latitude >= 0 else (phase + 0.5) % 1.0

    def _day_anomaly(self, day: date) -> float:
        return self.rng("temp-day", day.isoformat()).uniform(-8.0, 8.0)

    def _hour_noise(self, moment: datetime) -> float:
        return self.rng("temp-hour", moment.strftime("%Y-%m-%dT%H")).uniform(-1.5, 1.5)

    def temperature(self, moment: datetime) -> float:
        """°F, smooth in time: season + day-to-day swing + daily cycle + small noise."""
        moment = self.local(moment)
        day = moment.date()
        seasonal = 55.0 - 22.0 * math.cos(2 * math.pi * self._season_phase(day))
        hours = moment.hour + moment.minute / 60 + moment.second / 3600
        # Day-to-day swing, interpolated between noon of neighbouring days.
        if hours >= 12:
            anomaly = _lerp(self._day_anomaly(day), self._day_anomaly(day + timedelta(1)),
                            (hours - 12) / 24)
        else:
            anomaly = _lerp(self._day_anomaly(day - timedelta(1)), self._day_anomaly(day),
                            (hours + 12) / 24)
        daily = 9.0 * math.sin(2 * math.pi * (hours - 9) / 24)  # warmest mid-afternoon
        floor = moment.replace(minute=0, second=0, microsecond=0)
        noise = _lerp(self._hour_noise(floor), self._hour_noise(floor + timedelta(hours=1)),
                      (moment - floor).total_seconds() / 3600)
        return seasonal + anomaly + daily + noise

    def _day_regime(self, day: date) -> str:
        r = self.rng("regime", day.isoformat())
        return r.choices(("clear", "cloudy", "wet", "foggy"), weights=(40, 30, 25, 5))[0]

    def condition(self, moment: datetime) -> int:
        """The condition id of the 3-hour block holding ``moment``."""
        moment = self.local(moment)
        block = moment.hour // 3
        regime = self._day_regime(moment.date())
        r = self.rng("cond", moment.date().isoformat(), block)
        if regime == "clear":
            wid = r.choices((800, 801, 802), weights=(60, 30, 10))[0]
        elif regime == "cloudy":
            wid = r.choices((802, 803, 804, 300), weights=(25, 35, 30, 10))[0]
        elif regime == "foggy":
            wid = r.choices((701, 741, 804), weights=(40, 30, 30))[0]
        else:
            wid = r.choices((500, 501, 804, 211), weights=(45, 25, 20, 10))[0]
        temp = self.temperature(moment)
        if wid in (500, 501, 300, 211) and temp < 33:
            wid = 601 if wid == 501 else 600  # it snows instead
        if wid == 211 and temp < 55:
            wid = 501  # no winter thunderstorms
        return wid

    def wind(self, moment: datetime) -> tuple[float, str]:
        moment = self.local(moment)
        day = self.rng("wind-day", moment.date().isoformat())
        base, direction = day.uniform(2.0, 14.0), day.randrange(16)
        hour = self.rng("wind-hour", moment.strftime("%Y-%m-%dT%H"))
        speed = max(0.0, base + hour.uniform(-3.0, 4.0))
        return round(speed, 1), COMPASS[(direction + hour.choice((-1, 0, 0, 1))) % 16]

    @staticmethod
    def feels_like(temp: float, wind: float, humid: int) -> float:
        if temp <= 50 and wind > 3:  # NWS wind chill
            v = wind ** 0.16
            return 35.74 + 0.6215 * temp - 35.75 * v + 0.4275 * temp * v
        if temp >= 80:  # simple heat index
            return temp + 0.1 * max(0, humid - 40) * (temp - 80) / 10 + (humid - 40) * 0.05
        return temp

    def hour(self, moment: datetime) -> dict[str, Any]:
        """The weather of one hour (the ``hourly`` entry shape)."""
        moment = self.local(moment).replace(minute=0, second=0, microsecond=0)
        wid = self.condition(moment)
        r = self.rng("hour-extra", moment.isoformat())
        wet = wid < 700
        if wet:
            humid = r.randint(82, 98)
        elif wid in (803, 804, 701, 741):
            humid = r.randint(60, 90)
        else:
            humid = r.randint(30, 70)
        pop = r.randint(55, 95) if wet else r.randint(0, 30) if wid >= 802 else r.randint(0, 10)
        temp = self.temperature(moment)
        speed, direction = self.wind(moment)
        return {
            "time": moment.isoformat(),
            "temp": round(temp, 1),
            "fl": round(self.feels_like(temp, speed, humid), 1),
            "humid": humid,
            "pop": pop,
            "wid": wid,
            "dn": "d" if self.is_day(moment) else "n",
            "desc": CONDITIONS[wid],
            "windSpeed": speed,
            "windDir": direction,
        }

    def weather(self, now: datetime) -> dict[str, Any]:
        now = self.local(now)
        this_hour = self.hour(now)
        next_hour = self.hour(now + timedelta(hours=1))
        temp = self.temperature(now)
        speed, direction = self.wind(now)
        gust_rng = self.rng("gust", now.strftime("%Y-%m-%dT%H:%M"))
        gust = round(speed * gust_rng.uniform(1.3, 1.8), 1) if speed >= 10 else 0.0
        current = {
            "temp": round(temp, 1),
            "fl": round(self.feels_like(temp, speed, this_hour["humid"]), 1),
            "humid": this_hour["humid"],
            "windDir": direction,
            "windSpeed": speed,
            "windGust": gust,
            "desc": this_hour["desc"],
            "dn": "d" if self.is_day(now) else "n",
            "wid": this_hour["wid"],
            "nwid": next_hour["wid"],
        }
        start = now.replace(minute=0, second=0, microsecond=0)
        hourly = [self.hour(start + timedelta(hours=h)) for h in range(48)]
        forecast = [self.forecast_day(now.date() + timedelta(days=d)) for d in range(8)]
        current["next_wid"] = current.pop("nwid")
        if self.metric:  # computed in °F and mph throughout; converted only here
            for entry in (current, *hourly, *forecast):
                to_metric(entry)
        return Weather.parse({"current": current, "forecast": forecast, "hourly": hourly,
                              "units": "metric" if self.metric else "imperial"}).to_values()

    def forecast_day(self, day: date) -> dict[str, Any]:
        tz = self.place.tz
        hours = [self.hour(datetime.combine(day, time(h), tz)) for h in range(0, 24, 3)]
        temps = [self.temperature(datetime.combine(day, time(h), tz)) for h in range(24)]
        daytime = [h for h in hours if h["dn"] == "d"] or hours
        headline = max(daytime, key=lambda h: SEVERITY[h["wid"]])
        times = self.sun(day)
        return {
            "date": day.isoformat(),
            "day": day.strftime("%a"),
            "hi": round(max(temps), 1),
            "lo": round(min(temps), 1),
            "wid": headline["wid"],
            "desc": headline["desc"],
            "pop": max(h["pop"] for h in hours),
            "humid": round(sum(h["humid"] for h in hours) / len(hours)),
            "windSpeed": max(h["windSpeed"] for h in hours),
            "windDir": hours[4]["windDir"],
            "sunrise": times["sunrise"].replace(microsecond=0).isoformat() if times else None,
            "sunset": times["sunset"].replace(microsecond=0).isoformat() if times else None,
        }

    # --- air quality ----------------------------------------------------------

    def aqi(self, now: datetime) -> dict[str, Any]:
        hour = self.local(now).replace(minute=0, second=0, microsecond=0)
        day = self.rng("aqi-day", hour.date().isoformat())
        base = day.choices((day.uniform(10, 45), day.uniform(45, 90), day.uniform(90, 160)),
                           weights=(60, 32, 8))[0]
        afternoon = 15.0 * math.sin(2 * math.pi * (hour.hour - 9) / 24)  # ozone peaks
        score = max(1, round(base + afternoon + self.rng("aqi-hour", hour.isoformat())
                             .uniform(-4, 4)))
        warm = self.temperature(hour) > 60 and 11 <= hour.hour <= 19
        pollutant = "Ozone" if warm else day.choice(("PM2.5", "PM2.5", "PM10",
                                                     "Nitrogen Dioxide"))
        return Aqi.of_score(min(score, 500), pollutant, hour).to_values()

    # --- calendars ------------------------------------------------------------

    def calendar(self, now: datetime) -> list[Any]:
        entries: list[tuple[datetime, list[str]]] = []
        tz = self.place.tz
        for offset in range(14):
            day = now.date() + timedelta(days=offset)
            r = self.rng("calendar", day.isoformat())
            for _ in range(r.choices((0, 1, 2, 3), weights=(20, 40, 30, 10))[0]):
                summary, minutes = r.choice(CALENDAR_ITEMS)
                start = datetime.combine(day, time(r.randint(8, 19), r.choice((0, 15, 30, 45))),
                                         tz)
                end = start + timedelta(minutes=minutes)
                if end > now:
                    entries.append((start, [summary, start.isoformat(), end.isoformat()]))
            if r.random() < 0.12:  # now and then an all-day entry
                label = r.choice(("Recycling day", "Payday", "Office closed", "Work trip"))
                start = datetime.combine(day, time(0), tz)
                entries.append((start, [label, day.isoformat(),
                                        (day + timedelta(days=1)).isoformat()]))
        entries.sort(key=lambda e: e[0])
        return [entry for _, entry in entries[:20]] or ["No events"]

    def events(self, now: datetime) -> list[Any]:
        """The original's family events: every birthday (recurring, with the year it
        began), and the one-off family events of the coming weeks with their times."""
        tz = self.place.tz
        today = now.date()
        entries: list[tuple[date, str, FamilyEvent]] = []
        # Birthdays: fixed days of the year per family member (per seed).
        for name in FAMILY_NAMES:
            r = self.rng("birthday", name)
            yday, born = r.randint(1, 365), r.randint(1950, 2016)
            day = date(today.year, 1, 1) + timedelta(days=yday - 1)
            entries.append((day if day >= today else day.replace(year=day.year + 1), "",
                            FamilyEvent(name=name, event="Birthday", month=day.month,
                                        day=day.day, year=born)))
        # Family events: drawn per week, so they move forward with the calendar.
        week0 = today - timedelta(days=today.weekday())
        for week in range(9):
            monday = week0 + timedelta(weeks=week)
            r = self.rng("family", monday.isoformat())
            for _ in range(r.choices((0, 1, 2), weights=(35, 45, 20))[0]):
                label = r.choice(FAMILY_ITEMS)
                day = monday + timedelta(days=r.randrange(7))
                start: date | datetime
                end: date | datetime
                if label in ("Camping trip", "Beach weekend", "Family reunion"):
                    start, end = day, day + timedelta(days=r.randint(2, 3))
                    if end <= today:
                        continue
                else:
                    start = datetime.combine(day, time(r.randint(9, 18), r.choice((0, 30))), tz)
                    end = start + timedelta(hours=r.randint(1, 3))
                    if end <= now:
                        continue
                entries.append((day, start.isoformat(), FamilyEvent(
                    name=label, event="", month=day.month, day=day.day, year=day.year,
                    summary=label, start=start, end=end)))
        entries.sort(key=lambda e: (e[0], e[1]))
        return [event.to_values() for _, _, event in entries]

    # --- GitHub ---------------------------------------------------------------

    COMMIT_SLOT = 3 * 3600  # about one commit every three hours
    CI_SECONDS = 12 * 60

    def _commit(self, slot: int) -> tuple[str, str, datetime, bool]:
        r = self.rng("commit", slot)
        sha = hashlib.sha1(f"{self.seed}:{slot}".encode()).hexdigest()[:7]
        made = datetime.fromtimestamp(slot * self.COMMIT_SLOT + r.randint(0, 5400),
                                      self.place.tz)
        return sha, r.choice(COMMIT_MESSAGES), made, r.random() < 0.8

    def github(self, now: datetime) -> dict[str, Any]:
        slot = int(now.timestamp()) // self.COMMIT_SLOT
        sha, message, made, passes = self._commit(slot)
        if made > now:  # this slot's commit is not made yet
            slot -= 1
            sha, message, made, passes = self._commit(slot)
        ci_done = (now - made).total_seconds() >= self.CI_SECONDS
        status = "pending" if not ci_done else "success" if passes else "failure"
        last_good = None
        for back in range(slot if ci_done and passes else slot - 1, slot - 40, -1):
            good_sha, _, _, good = self._commit(back)
            if good:
                last_good = good_sha
                break
        return GitHub(latest_commit=sha, last_successful_commit=last_good or sha,
                      message=message, date=made, repo="glanceboard/glanceboard",
                      status=status).to_values()

    # --- sports ---------------------------------------------------------------

    @staticmethod
    def _pairs(r: random.Random, teams: tuple[tuple[str, str, str], ...], count: int
               ) -> list[tuple[tuple[str, str, str], tuple[str, str, str]]]:
        picked = r.sample(teams, count * 2)
        return [(picked[2 * i], picked[2 * i + 1]) for i in range(count)]

    def _record(self, league: str, team: str, day: date, games: int) -> tuple[int, int]:
        strength = self.rng(league, "strength", team).uniform(0.35, 0.65)
        r = self.rng(league, "record", team, day.isoformat())
        wins = sum(r.random() < strength for _ in range(games))
        return wins, games - wins

    def mlb(self, now: datetime) -> list[dict[str, Any]]:
        day = now.date()
        r = self.rng("mlb", day.isoformat())
        starts = sorted(r.sample(((13, 5), (13, 10), (16, 10), (18, 40), (19, 5), (19, 10),
                                  (19, 40), (20, 10), (21, 40), (22, 10)), r.randint(3, 6)))
        games = []
        pairs = with_favourite(self._pairs(r, MLB_TEAMS, len(starts)), MLB_TEAMS,
                               self.mlb_teams, espn_mlb)
        for index, (away, home) in enumerate(pairs):
            start = datetime.combine(day, time(*starts[index]), self.place.tz)
            games.append(self._mlb_game(day, index, start, away, home, now))
        return write_games(parse_games(games))

    def _mlb_game(self, day: date, index: int, start: datetime, away: tuple[str, str, str],
                  home: tuple[str, str, str], now: datetime) -> dict[str, Any]:
        r = self.rng("mlb-game", day.isoformat(), index)
        played = 100 + (day.timetuple().tm_yday % 60)
        game: dict[str, Any] = {
            "id": 700000 + int(hashlib.sha1(f"{day}{index}".encode()).hexdigest()[:5], 16),
            "start": start.isoformat(),
            "status": "Scheduled",
            "away": {"team": away[0], "name": away[1], "score": 0,
                     "record": "{}-{}".format(*self._record("mlb", away[0], day, played))},
            "home": {"team": home[0], "name": home[1], "score": 0,
                     "record": "{}-{}".format(*self._record("mlb", home[0], day, played))},
            "inning": None, "half": None, "outs": None,
            "venue": home[2],
        }
        if r.random() < 0.03:
            game["status"] = "Postponed"
            return game
        # Runs per half-inning, 18 halves; the home team wins a tie in the 9th.
        runs = [r.choices((0, 1, 2, 3, 4), weights=(72, 15, 8, 3, 2))[0] for _ in range(18)]
        if sum(runs[0::2]) == sum(runs[1::2]):
            runs[17] += 1
        duration = timedelta(minutes=r.randint(150, 200))
        elapsed = now - start
        if elapsed < -timedelta(minutes=30):
            return game
        if elapsed < timedelta(0):
            game["status"] = "Pre-Game" if elapsed < -timedelta(minutes=10) else "Warmup"
            return game
        halves_done = min(18, int(elapsed / duration * 18))
        if elapsed >= duration:
            game["status"] = "Final"
            game["inning"] = 9
            halves_done = 18
        else:
            game["status"] = "In Progress"
            game["inning"] = halves_done // 2 + 1
            game["half"] = "top" if halves_done % 2 == 0 else "bottom"
            within = (elapsed / duration * 18) % 1.0
            game["outs"] = min(2, int(within * 3))
        game["away"]["score"] = sum(runs[0:halves_done:2])
        game["home"]["score"] = sum(runs[1:halves_done:2])
        return game

    def nfl(self, now: datetime) -> dict[str, Any]:
        day = now.date()
        r = self.rng("nfl", day.isoformat())
        slots = sorted(r.sample(((13, 0), (13, 0), (16, 5), (16, 25), (20, 20)),
                                r.randint(2, 4)))
        events = []
        pairs = with_favourite(self._pairs(r, NFL_TEAMS, len(slots)), NFL_TEAMS,
                               self.nfl_teams, str)
        for index, (away, home) in enumerate(pairs):
            kickoff = datetime.combine(day, time(*slots[index]), self.place.tz)
            events.append(self._nfl_game(day, index, kickoff, away, home, now))
        week = 1 + (day.timetuple().tm_yday % 17)
        games = tuple(replace(g, week=week) for g in Week.parse({"events": events}).games)
        return Week(season_type="Regular Season", name=f"Week {week}",
                    dates=f"{day:%b} {day.day}", games=games).to_values()

    QUARTER = timedelta(minutes=42)  # real time per quarter
    HALFTIME = timedelta(minutes=15)

    def _nfl_game(self, day: date, index: int, kickoff: datetime, away: tuple[str, str, str],
                  home: tuple[str, str, str], now: datetime) -> dict[str, Any]:
        r = self.rng("nfl-game", day.isoformat(), index)
        week = 1 + (day.timetuple().tm_yday % 17)
        game: dict[str, Any] = {
            "id": str(401_670_000 + int(hashlib.sha1(f"{day}{index}".encode())
                                        .hexdigest()[:4], 16)),
            "start": kickoff.isoformat(),
            "state": "pre",
            "detail": kickoff.strftime("%a ") + kickoff.strftime("%I:%M %p").lstrip("0"),
            "period": None, "clock": None,
            "away": {"team": away[0], "name": away[1], "score": 0,
                     "record": "{}-{}".format(*self._record("nfl", away[0], day, week))},
            "home": {"team": home[0], "name": home[1], "score": 0,
                     "record": "{}-{}".format(*self._record("nfl", home[0], day, week))},
            "possession": None,
            "venue": home[2],
            "broadcast": r.choice(NFL_NETWORKS),
        }
        # Scoring plays: (quarter 1-4, fraction of the quarter, side, points).
        plays = [(q, r.random(), r.choice(("away", "home")), r.choice((3, 7, 7, 7, 6, 3)))
                 for q in range(1, 5) for _ in range(r.choices((0, 1, 2, 3),
                                                               weights=(20, 40, 30, 10))[0])]
        elapsed = now - kickoff
        if elapsed < timedelta(0):
            return game
        # Real time -> (quarter, fraction of it played); halftime after the 2nd.
        if elapsed < 2 * self.QUARTER:
            quarter, into = divmod(elapsed, self.QUARTER)
            quarter, fraction, halftime = int(quarter) + 1, into / self.QUARTER, False
        elif elapsed < 2 * self.QUARTER + self.HALFTIME:
            quarter, fraction, halftime = 2, 1.0, True
        else:
            second = elapsed - 2 * self.QUARTER - self.HALFTIME
            quarter, into = divmod(second, self.QUARTER)
            quarter, fraction, halftime = int(quarter) + 3, into / self.QUARTER, False
        final = quarter > 4
        for q, at, side, points in plays:
            if final or q < quarter or (q == quarter and at <= fraction):
                game[side]["score"] += points
        if final:
            game.update(state="post", detail="Final", period=4)
            return game
        remaining = int(15 * 60 * (1 - fraction))
        clock = f"{remaining // 60}:{remaining % 60:02d}"
        ordinal = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}[quarter]
        game.update(state="in", period=quarter,
                    clock=None if halftime else clock,
                    detail="Halftime" if halftime else f"{ordinal} {clock}",
                    possession=None if halftime else self.rng(
                        "nfl-ball", day.isoformat(), index, int(elapsed.total_seconds() // 150)
                    ).choice((away[0], home[0])))
        return game
