"""The schema table (nevcalc.specs.schema): every field is well formed, its unit is one
pint reads with the dimension its bounds assume, and the shipped library fills it."""

from __future__ import annotations

import pytest

from nevcalc import catalog
from nevcalc.io import BUNDLED_SPECS
from nevcalc.specs.schema import FIELDS, KIND_DIRS, KINDS, PROVENANCE_KINDS, fields_for

TYPES = {"quantity", "table", "text", "int", "ref", "choice"}
ALL = [(kind, f) for kind in KINDS for f in FIELDS[kind].values()]
IDS = [f"{kind}.{f.name}" for kind, f in ALL]


def test_every_kind_has_a_table_a_folder_and_the_common_fields():
    assert set(FIELDS) == set(KINDS) == set(KIND_DIRS)
    for kind, folder in KIND_DIRS.items():
        assert (BUNDLED_SPECS / folder).is_dir(), folder
        assert fields_for(kind) is FIELDS[kind]
        assert FIELDS[kind]["title"].required
        assert {"title", "description", "extends"} <= set(FIELDS[kind])
    with pytest.raises(KeyError):
        fields_for("bicycle")


def test_provenance_kinds_are_distinct_lower_case_words():
    assert len(set(PROVENANCE_KINDS)) == len(PROVENANCE_KINDS)
    assert all(k.isalpha() and k.islower() for k in PROVENANCE_KINDS)


@pytest.mark.parametrize(("kind", "field"), ALL, ids=IDS)
def test_each_field_is_well_formed(kind, field):
    assert field.type in TYPES
    assert field.doc and "\n" not in field.doc  # one line for `specs fields`
    assert field.name.isidentifier() and field.name == field.name.lower()
    if field.lo is not None and field.hi is not None:
        assert field.lo < field.hi
    if field.type in ("quantity", "table"):
        assert field.lo is not None and field.hi is not None
    elif field.type == "int":
        assert field.unit == "" and field.lo is not None and field.lo >= 0
    else:
        assert field.unit == "" and field.lo is None and field.hi is None
    assert (field.type == "choice") == bool(field.choices)
    if field.choices:
        assert all(c == c.lower() for c in field.choices)
    if field.ref_kind:
        assert field.type == "ref" and field.ref_kind in KINDS
    if field.type == "table":
        assert field.x_key in ("soc", "load", "c_rate", "temperature")


@pytest.mark.parametrize(
    ("kind", "field"),
    [(k, f) for k, f in ALL if f.unit],
    ids=[i for (k, f), i in zip(ALL, IDS, strict=True) if f.unit],
)
def test_each_unit_is_read_by_pint(kind, field):
    from nevcalc.units import si_factor

    factor = si_factor(field.unit)
    assert factor > 0
    if field.c_rate:
        # a C-rate is per hour: 1 /h = 1 / 3600 s^-1
        assert factor == pytest.approx(1 / 3600)


def test_bounds_by_hand_in_the_fields_unit():
    usage = FIELDS["usage"]
    # -40 degC and 60 degC in kelvin: -40 + 273.15 = 233.15, 60 + 273.15 = 333.15
    assert (usage["temperature"].unit, usage["temperature"].lo) == ("K", pytest.approx(233.15))
    assert usage["temperature"].hi == pytest.approx(333.15)
    # shares are fractions 0..1, never percent numbers
    for name in ("fast_charge_share", "soc_low", "soc_high"):
        assert (usage[name].unit, usage[name].lo, usage[name].hi) == ("", 0.0, 1.0)


def _shipped(kind):
    return [name for _, name, _ in catalog.list_specs(kind)]


@pytest.mark.parametrize("kind", KINDS)
def test_every_shipped_spec_has_its_required_fields_within_bounds(kind):
    from nevcalc.units import si_factor

    names = _shipped(kind)
    assert names, f"no shipped {kind}"
    checked = 0
    for name in names:
        spec = catalog.load(name, kind)
        for field in FIELDS[kind].values():
            value = spec.get(field.name)
            if field.required:
                assert value is not None, f"{kind} {name} lacks {field.name}"
            if field.type == "quantity" and isinstance(value, float):
                # the loaded value is SI; the bounds are in the field's unit
                x = value / si_factor(field.unit)
                assert field.lo - 1e-9 <= x <= field.hi + 1e-9, (name, field.name, x)
                checked += 1
    assert checked >= len(names)  # every spec had quantities to check
