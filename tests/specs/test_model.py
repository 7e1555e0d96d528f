"""Spec objects (nevcalc.specs.model): values in SI with a short repr for people."""

from __future__ import annotations

import pytest

from nevcalc import catalog
from nevcalc.specs.model import KEY_FIELDS, Provenance, Spec
from tests.helpers import check_escaped, check_html, check_repr


@pytest.mark.parametrize(
    ("name", "kind", "figures"),
    [
        # the shipped files' own figures, as written in them
        ("byd-han-l", "vehicle", ["83.2 kWh usable", "lfp-flash", "1,000 kW peak"]),
        ("byd-megawatt", "charger", ["dc", "1,360 kW", "1,000 A"]),
        ("solid-state", "chemistry", ["cell 455 Wh/kg", "2,000 efc"]),
        ("winter-motorway-1000", "route", ["1,000 km", "at 120 km/h", "air -10 degC"]),
        ("private-china", "usage", ["12,000 km a year"]),
        ("guangzhou", "climate", ["Jan ", " degC"]),
    ],
)
def test_a_spec_prints_its_key_figures_with_units(name, kind, figures):
    spec = catalog.load(name, kind)
    check_repr(spec, f"Spec {kind}", name, *figures)
    check_html(spec, spec.title, *(spec.text(k) for k in KEY_FIELDS[kind] if k in spec))


def test_a_spec_table_shows_every_field_with_its_kind_and_escapes_names():
    spec = catalog.load("kia-ev6-77", "vehicle")
    shown = check_html(spec, "battery_usable_energy", "77.4 kWh", "charge_power_limit", "points")
    assert "claimed" in shown or "measured" in shown or "official" in shown
    odd = Spec("charger", "<script>x</script>", "p&q.toml",
               {"title": "<b>t</b>", "current_type": "dc", "max_power": 150e3},
               {"max_power": Provenance("s", "assumed")})  # fmt: skip
    check_repr(odd, "150 kW")
    check_escaped(odd, "<script>x</script>")
    check_escaped(odd, "<b>t</b>")
