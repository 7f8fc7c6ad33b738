"""Where the dashboard is: a bad place setting is named with where it is set."""

from __future__ import annotations

import pytest

from server.producers.base import ConfigError
from server.producers.demo import DemoProducer
from server.producers.moon import Moon
from server.producers.place import Place, place_of
from tests.producer_support import make_producer

PLACE_ENV = ("LATITUDE", "LONGITUDE", "TIMEZONE", "DEMO_LATITUDE", "DEMO_LONGITUDE",
             "DEMO_TIMEZONE")


@pytest.fixture(autouse=True)
def no_place_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PLACE_ENV:
        monkeypatch.delenv(name, raising=False)


def test_flags_beat_env_and_env_prefix_picks_other_variables(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LATITUDE", "51.5")
    monkeypatch.setenv("DEMO_LATITUDE", "-33.87")
    made = make_producer(Moon, ["--longitude", "-0.12", "--timezone", "Europe/London"])
    assert place_of(made) == Place(51.5, -0.12, "Europe/London")
    assert place_of(made, env_prefix="DEMO_").latitude == -33.87


@pytest.mark.parametrize(("env", "named"), [
    ({"LATITUDE": "north"}, "Moon: latitude 'north' is not a number (--latitude, env LATITUDE)"),
    ({"LONGITUDE": "181"}, "Moon: longitude 181 is outside -180..180 (--longitude, env "
                           "LONGITUDE)"),
    ({"TIMEZONE": "Mars/Olympus"}, "Moon: time zone 'Mars/Olympus' is unknown (--timezone, env "
                                   "TIMEZONE; an IANA name like America/New_York)"),
])
def test_bad_place_setting_is_named(monkeypatch: pytest.MonkeyPatch, env: dict[str, str],
                                    named: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        place_of(make_producer(Moon, []))
    assert str(caught.value) == named


@pytest.mark.parametrize(("env", "named"), [
    ({"DEMO_LATITUDE": "91"}, "Demo: latitude 91 is outside -90..90 (--latitude, env "
                              "DEMO_LATITUDE)"),
    ({"DEMO_TIMEZONE": "Nowhere"}, "Demo: time zone 'Nowhere' is unknown (--timezone, env "
                                   "DEMO_TIMEZONE; an IANA name like America/New_York)"),
    ({"DEMO_SEED": "lucky"}, "Demo: seed 'lucky' is not a whole number (--seed, env DEMO_SEED)"),
])
def test_demo_names_its_bad_setting_at_start(monkeypatch: pytest.MonkeyPatch,
                                             env: dict[str, str], named: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        make_producer(DemoProducer, [])
    assert str(caught.value) == named
