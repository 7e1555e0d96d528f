"""Routes: parsing of stations, spacing and bounds; the shipped route specs."""

from __future__ import annotations

import pytest

from nevcalc import catalog
from nevcalc.errors import InputError, SpecNotFound
from nevcalc.routes import (
    DEFAULTS,
    MAX_STATIONS,
    adhoc_route,
    load_route,
    parse_spacing,
    parse_stations,
)


def test_spacing_is_read_with_its_unit():
    assert parse_spacing("ionity-350 every 60 km") == ("ionity-350", 60000.0)
    assert parse_spacing("Tesla-V3 EVERY 37.5mi")[0] == "tesla-v3"
    assert parse_spacing("tesla-v3 every 37.5 mi")[1] == pytest.approx(37.5 * 1609.344)


@pytest.mark.parametrize(
    "text", ["ionity-350", "every 60 km", "ionity-350 every", "ionity-350 every 60 kWh",
             "ionity-350 every 0 km", "ionity-350 every -5 km", "ionity-350 every nan km"],
)  # fmt: skip
def test_bad_spacing_is_refused_with_the_form(text):
    with pytest.raises(InputError, match="chargers"):
        parse_spacing(text)


def test_stations_are_read_in_order_given():
    got = parse_stations("55 km ionity-350; 130km tesla-v3\n200 km ionity-350")
    assert got == ((55000.0, "ionity-350"), (130000.0, "tesla-v3"), (200000.0, "ionity-350"))


def test_too_many_stations_are_refused_before_work():
    text = ";".join(f"{k + 1} km ionity-350" for k in range(MAX_STATIONS + 1))
    with pytest.raises(InputError, match="at most"):
        parse_stations(text)
    with pytest.raises(InputError, match="space them wider"):
        adhoc_route(distance="20000 km", speed="100 km/h", chargers="ionity-350 every 1 km")


def test_evenly_spaced_stations_stop_before_the_end():
    r = adhoc_route(distance="300 km", speed="120 km/h", chargers="ionity-350 every 100 km")
    assert [x for x, _ in r.stations] == [100000.0, 200000.0]  # none at the end itself
    r = adhoc_route(distance="301 km", speed="120 km/h", chargers="ionity-350 every 100 km")
    assert len(r.stations) == 3


def test_listed_and_spaced_stations_are_merged_by_position():
    r = adhoc_route(distance="500 km", speed="120 km/h", chargers="ionity-350 every 200 km",
                    stations="50 km tesla-v3; 250 km tesla-v3")  # fmt: skip
    assert [x / 1000 for x, _ in r.stations] == [50, 200, 250, 400]
    assert r.chargers == ("tesla-v3", "ionity-350")


def test_a_station_beyond_the_end_and_a_reserve_above_the_start_are_refused():
    with pytest.raises(InputError, match="not before the end"):
        adhoc_route(distance="100 km", speed="100 km/h", stations="150 km ionity-350")
    with pytest.raises(InputError, match="reserve"):
        adhoc_route(distance="100 km", speed="100 km/h", start_soc="20%", reserve="30%")


def test_an_unknown_charger_is_named():
    with pytest.raises(SpecNotFound, match="no-such-charger"):
        adhoc_route(distance="100 km", speed="100 km/h", chargers="no-such-charger every 50 km")


def test_defaults_are_stated_when_taken():
    r = adhoc_route(distance="100 km", speed="100 km/h", reserve="5%")
    assert r.reserve == pytest.approx(0.05)
    assert r.stop_overhead == DEFAULTS["stop_overhead"][0]
    assert DEFAULTS["stop_overhead"][1] in r.assumptions
    assert DEFAULTS["reserve"][1] not in r.assumptions


def test_options_change_a_shipped_route_and_keep_the_rest():
    base = load_route("winter-motorway-1000")
    r = adhoc_route(base, distance="400 km")
    assert r.ambient == base.ambient and r.speed == base.speed
    assert all(x < 400e3 for x, _ in r.stations)
    assert r.name == "adhoc" and "400 km" in r.title  # no longer the shipped route's title
    assert adhoc_route(base).title == base.title


def test_cabin_and_heat_pump_come_from_the_spec_and_options_override_them(tmp_path):
    f = tmp_path / "cold.toml"
    f.write_text(
        'kind = "route"\ntitle = "cold"\ndistance = "300 km"\nspeed = "110 km/h"\n'
        'ambient = "-15 degC"\ncabin = "19 degC"\nheat_pump = "yes"\n'
        '[provenance]\nsource = "a test route"\nkind = "assumed"\n'
    )
    r = load_route(str(f))
    assert r.cabin == pytest.approx(292.15) and r.heat_pump is True
    assert "air -15 degC, cabin 19 degC, heat pump" in repr(r)
    assert "-15 degC, cabin 19 degC, heat pump" in r._repr_html_()
    o = adhoc_route(r, cabin="22 degC", heat_pump=False)
    assert o.cabin == pytest.approx(295.15) and o.heat_pump is False
    assert adhoc_route(r).cabin == r.cabin and adhoc_route(r).heat_pump is True
    plain = load_route("motorway-1000")
    assert plain.cabin is None and plain.heat_pump is None


@pytest.mark.parametrize("name", [n for _, n, _ in catalog.list_specs("route")])
def test_shipped_routes_load_and_have_stations(name):
    r = load_route(name)
    assert r.distance > 0 and r.speed > 0
    assert r.stations and all(0 < x < r.distance for x, _ in r.stations)
    for c in r.chargers:
        catalog.load(c, "charger")


def test_the_winter_route_extends_the_motorway_at_minus_ten():
    w, m = load_route("winter-motorway-1000"), load_route("motorway-1000")
    assert w.ambient == pytest.approx(263.15)
    assert m.ambient is None and w.stations == m.stations


def test_a_longer_trip_on_a_spaced_route_keeps_its_spacing_to_the_end():
    base = load_route("motorway-1000")
    longer = adhoc_route(base, distance="1500 km")
    assert [x for x, _ in longer.stations] == [60e3 * k for k in range(1, 25)]
    shorter = adhoc_route(base, distance="300 km")
    assert [x for x, _ in shorter.stations] == [60e3, 120e3, 180e3, 240e3]


def test_too_many_stations_name_the_option_that_made_them():
    with pytest.raises(InputError, match=r"^chargers: .*at most"):
        adhoc_route(distance="20000 km", speed="100 km/h", chargers="ionity-350 every 5 km")
    with pytest.raises(InputError, match=r"^distance: .*at most"):
        base = adhoc_route(distance="1000 km", speed="100 km/h", chargers="ionity-350 every 10 km")
        adhoc_route(base, distance="20000 km")


def test_a_route_prints_one_line_and_a_table():
    from dataclasses import replace

    from tests.helpers import check_escaped, check_html, check_repr

    r = load_route("winter-motorway-1000")
    check_repr(r, "Route", "winter-motorway-1000", "1,000 km", "120 km/h", "-10 degC")
    check_html(r, "1,000 km", f"{len(r.stations)} (", "min")
    check_escaped(replace(r, name="<r&>"), "<r&>")
