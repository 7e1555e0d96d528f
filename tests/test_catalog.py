"""Name resolution (./specs, $NEVCALC_SPECS, bundled) and extends."""

from __future__ import annotations

import pytest

from nevcalc import catalog
from nevcalc.errors import SpecError, SpecNotFound
from nevcalc.io import BUNDLED_SPECS
from tests.helpers import write_charger as _write_charger


def test_local_specs_shadow_env_which_shadow_bundled(tmp_path, monkeypatch):
    assert catalog.load("ionity-350", "charger").in_unit("max_power") == pytest.approx(350)
    env = tmp_path / "env"
    _write_charger(env, "ionity-350", "123 kW")
    monkeypatch.setenv("NEVCALC_SPECS", str(env))
    assert catalog.load("ionity-350", "charger").in_unit("max_power") == pytest.approx(123)
    _write_charger(tmp_path / "specs", "ionity-350", "77 kW")  # cwd is tmp_path
    assert catalog.load("ionity-350", "charger").in_unit("max_power") == pytest.approx(77)


def test_unknown_name_suggests_close_ones():
    with pytest.raises(SpecNotFound) as err:
        catalog.load("ionity-305", "charger")
    assert "ionity-350" in str(err.value)


def test_extends_inherits_and_overrides(tmp_path):
    folder = tmp_path / "specs" / "vehicles"
    folder.mkdir(parents=True)
    base = (BUNDLED_SPECS / "vehicles" / "kia-ev6-77.toml").read_text()
    (folder / "my-ev6.toml").write_text(base)
    (folder / "my-ev6-slow.toml").write_text(
        'kind = "vehicle"\nextends = "my-ev6"\ntitle = "slow EV6"\n'
        'max_charge_power = { value = "100 kW", source = "test", kind = "assumed" }\n'
    )
    spec = catalog.load("my-ev6-slow", "vehicle")
    assert spec.in_unit("max_charge_power") == pytest.approx(100)
    assert spec.in_unit("battery_usable_energy") == pytest.approx(77.4)


def test_circular_extends_is_refused(tmp_path):
    folder = tmp_path / "specs" / "chargers"
    folder.mkdir(parents=True)
    (folder / "a.toml").write_text('kind = "charger"\nextends = "b"\n')
    (folder / "b.toml").write_text('kind = "charger"\nextends = "a"\n')
    with pytest.raises(SpecError, match="circular"):
        catalog.load("a", "charger")


def test_list_titles_gives_every_spec_a_title_and_reports_the_broken(tmp_path):
    """A broken spec keeps its row, titled as invalid, and its problem names the file."""
    items, problems = catalog.list_titles("charger")
    assert problems == []
    assert {name for _, name, _, _ in items} == {n for _, n, _ in catalog.list_specs("charger")}
    assert all(t and t != catalog.INVALID_TITLE for _, _, t, _ in items)
    bad = tmp_path / "specs" / "chargers" / "zz-broken.toml"  # cwd is tmp_path
    bad.parent.mkdir(parents=True)
    bad.write_text('kind = "charger"\n')
    odd = bad.with_name("Not_A_Name.toml")
    odd.write_text('kind = "charger"\n')
    items, problems = catalog.list_titles("charger")
    titles = {name: t for _, name, t, _ in items}
    assert titles["zz-broken"] == catalog.INVALID_TITLE
    assert titles["Not_A_Name"] == catalog.INVALID_TITLE
    assert any("zz-broken.toml" in p for p in problems)
    assert any("is not a spec name" in p and "Not_A_Name" in p for p in problems)


def test_load_any_finds_a_name_in_every_kind_or_nothing(tmp_path):
    assert [s.kind for s in catalog.load_any("ionity-350")] == ["charger"]
    assert catalog.load_any("no-such-spec") == []
    _write_charger(tmp_path / "specs", "nmc811", "50 kW")  # also a chemistry's name
    assert [s.kind for s in catalog.load_any("nmc811")] == ["charger", "chemistry"]
    path = BUNDLED_SPECS / "chargers" / "ionity-350.toml"
    assert [s.name for s in catalog.load_any(str(path))] == ["ionity-350"]
