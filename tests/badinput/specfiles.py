# ruff: noqa: E501 - tables of cases read best one case a line
"""Bad spec files: TOML syntax, types, keys, bounds, missing fields, cross-field pairs,
nesting, ``extends`` chains, encodings, sizes and file kinds.

Field mutations are generated from the schema (:data:`nevcalc.specs.schema.FIELDS`),
so a field added to the schema is fuzzed too.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

from nevcalc.io import BUNDLED_SPECS
from nevcalc.specs.schema import FIELDS
from tests.badinput.harness import Case

__all__ = ["CASES", "drop_key", "set_key"]

CHARGER = """kind = "charger"
title = "t"
current_type = "dc"
max_power = { value = "150 kW", source = "s", kind = "assumed" }
max_current = { value = "400 A", source = "s", kind = "assumed" }
max_voltage = { value = "920 V", source = "s", kind = "assumed" }
min_voltage = { value = "200 V", source = "s", kind = "assumed" }
efficiency = { value = "0.95", source = "s", kind = "assumed" }
"""

BASES = {
    "charger": CHARGER,
    "vehicle": (BUNDLED_SPECS / "vehicles" / "kia-ev6-77.toml").read_text(),
    "chemistry": (BUNDLED_SPECS / "chemistries" / "lfp.toml").read_text(),
    "usage": (BUNDLED_SPECS / "usage" / "private-china.toml").read_text(),
    "climate": (BUNDLED_SPECS / "climates" / "oslo.toml").read_text(),
    "route": (BUNDLED_SPECS / "routes" / "motorway-1000.toml").read_text(),
}
#: How a spec of each kind is used by a command (the file path goes where "{}" is).
USE = {
    "charger": ("charge", "kia-ev6-77", "--charger", "{}", "--json"),
    "vehicle": ("charge", "{}", "--json"),
    "chemistry": ("health", "{}", "--json"),
    "usage": ("cost", "byd-han-l", "--usage", "{}", "--json"),
    "climate": ("health", "lfp", "--climate", "{}", "--json"),
    "route": ("trip", "kia-ev6-77", "--route", "{}", "--json"),
}


def _top_end(text: str) -> int:
    """Index of the first table header (keys after it are not top-level)."""
    m = re.search(r"^\[", text, re.MULTILINE)
    return m.start() if m else len(text)


def set_key(text: str, key: str, raw: str) -> str:
    """``text`` with top-level ``key = raw`` (replaced, or added before any table)."""
    end = _top_end(text)
    head, tail = text[:end], text[end:]
    pattern = re.compile(rf"^{re.escape(key)} = .*$", re.MULTILINE)
    if pattern.search(head):
        head = pattern.sub(lambda _m: f"{key} = {raw}", head, count=1)
    else:
        head = head.rstrip("\n") + f"\n{key} = {raw}\n"
    return head + tail


def drop_key(text: str, key: str) -> str:
    """``text`` without the top-level ``key``."""
    end = _top_end(text)
    head, tail = text[:end], text[end:]
    return re.sub(rf"^{re.escape(key)} = .*\n", "", head, count=1, flags=re.MULTILINE) + tail


def _fig(value: str) -> str:
    return f'{{ value = {value}, source = "s", kind = "assumed" }}'


def _q(x: float, unit: str) -> str:
    return f'"{x:g} {unit}"' if unit else f'"{x:g}"'


def _writer(name: str, content):
    def setup(folder: Path) -> None:
        p = folder / name
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")

    return setup


def _validate_case(cid, name, content, names, codes=frozenset({1})) -> Case:
    return Case("spec-files", cid, ("specs", "validate", name), names, codes,
                setup=_writer(name, content), must=(Path(name).name,))  # fmt: skip


def _use_case(cid, kind, name, content, names, codes=frozenset({1, 2})) -> Case:
    argv = tuple(name if a == "{}" else a for a in USE[kind])
    return Case(
        "spec-files",
        cid,
        argv,
        names,
        codes,
        setup=_writer(name, content),
        must=(Path(name).name,),
    )


def _wrong_unit(unit: str) -> str:
    return '"3 s"' if unit in ("kg", "") else '"3 kg"'


def _field_cases() -> list[Case]:
    cases = []
    for kind, fields in FIELDS.items():
        base = BASES[kind]
        for f in fields.values():
            if f.type != "quantity" or f.name == "extends":
                continue
            lo, hi, u = f.lo, f.hi, f.unit
            below = lo * 0.5 if lo and lo > 0 else -1.0
            muts = {
                "below": _fig(_q(below, u)),
                "above": _fig(_q(hi * 2 + 1, u)),
                "nan": _fig(f'"nan {u}"'.replace(' "', '"')),
                "toml-inf": _fig("inf"),
                "toml-nan": _fig("nan"),
                "wrong-dim": _fig(_wrong_unit(u)),
                "bool": _fig("true"),
                "list": _fig("[1, 2]"),
                "date": _fig("1979-05-27"),
                "empty-figure": "{ }",
                "no-value": '{ source = "s", kind = "assumed" }',
                "huge-number": _fig(f'"{"9" * 400} {u}"'),
            }
            for mid, raw in muts.items():
                name = f"{kind}-{f.name}-{mid}.toml"
                text = set_key(base, f.name, raw)
                cases.append(_validate_case(f"{kind}.{f.name}={mid}", name, text, (f.name,)))
    return cases


def _table_cases() -> list[Case]:
    """Tables against SoC: order, lengths, bounds, NaN, size."""
    rows = {
        "decreasing-soc": "{ soc = [0, 50, 40, 100], value = [%s], unit = '%s', kind = 'assumed', source = 's' }",
        "short-values": "{ soc = [0, 50, 100], value = [%s], unit = '%s', kind = 'assumed', source = 's' }",
        "soc-over-100": "{ soc = [0, 50, 150, 200], value = [%s], unit = '%s', kind = 'assumed', source = 's' }",
        "soc-negative": "{ soc = [-10, 50, 80, 100], value = [%s], unit = '%s', kind = 'assumed', source = 's' }",
        "empty-lists": "{ soc = [], value = [], unit = '%s', kind = 'assumed', source = 's' }",
        "text-values": "{ soc = [0, 100], value = ['a', 'b'], unit = '%s', kind = 'assumed', source = 's' }",
        "no-soc": "{ value = [%s], unit = '%s', kind = 'assumed', source = 's' }",
        "wrong-unit": "{ soc = [0, 30, 60, 100], value = [%s], unit = 'kg', kind = 'assumed', source = 's' }",
        "nan-value": "{ soc = [0, 30, 60, 100], value = [1, nan, 1, 1], unit = '%s', kind = 'assumed', source = 's' }",
        "inf-value": "{ soc = [0, 30, 60, 100], value = [1, inf, 1, 1], unit = '%s', kind = 'assumed', source = 's' }",
    }
    tables = [("chemistry", "ocv", "V", "3.0, 3.2, 3.3, 3.4"),
              ("chemistry", "charge_c_rate", "1/h", "1, 1, 1, 1"),
              ("chemistry", "typical_power_taper", "", "1, 1, 1, 1"),
              ("vehicle", "charge_power_limit", "kW", "100, 100, 100, 100")]  # fmt: skip
    cases = []
    for kind, key, unit, vals in tables:
        for rid, tmpl in rows.items():
            if tmpl.count("%s") == 2:
                raw = tmpl % (vals, unit)
            elif "[%s]" in tmpl:
                raw = tmpl % (vals,)
            else:
                raw = tmpl % (unit,)
            name = f"{kind}-{key}-{rid}.toml"
            text = set_key(BASES[kind], key, raw)
            cases.append(_validate_case(f"{kind}.{key}={rid}", name, text, (key,)))
    # an OCV curve that falls as the cell charges
    ocv = "{ soc = [0, 50, 100], value = [3.6, 3.3, 3.0], unit = 'V', kind = 'assumed', source = 's' }"
    cases.append(_validate_case("chemistry.ocv=falling", "ocv-falling.toml",
                                set_key(BASES["chemistry"], "ocv", ocv), ("ocv",)))  # fmt: skip
    return cases


def _cross_cases() -> list[Case]:
    """Pairs of fields that are each in bounds but contradict each other."""
    rows = [
        ("charger", "min-above-max", {"min_voltage": _fig('"900 V"'), "max_voltage": _fig('"400 V"')},
         ("min_voltage", "max_voltage")),
        ("chemistry", "vmax-below-vmin", {"cell_voltage_max": _fig('"2.0 V"'),
                                          "cell_voltage_min": _fig('"3.0 V"')},
         ("cell_voltage_max", "cell_voltage_min")),
        ("chemistry", "usable-equal", {"usable_soc_min": _fig('"0.5"'), "usable_soc_max": _fig('"0.5"')},
         ("usable_soc_min", "usable_soc_max")),
        ("chemistry", "ocv-above-vmax", {"cell_voltage_max": _fig('"3.0 V"')},
         ("cell_voltage_max", "ocv")),
        ("usage", "soc-low-above-high", {"soc_low": _fig('"90 %"'), "soc_high": _fig('"20 %"')},
         ("soc_low", "soc_high")),
        ("usage", "soc-equal", {"soc_low": _fig('"50 %"'), "soc_high": _fig('"50 %"')},
         ("soc_low", "soc_high")),
        ("vehicle", "gross-below-usable", {"battery_gross_energy": _fig('"50 kWh"')},
         ("battery_gross_energy", "battery_usable_energy")),
        ("vehicle", "pack-heavier-than-car", {"pack_mass": _fig('"2500 kg"'),
                                              "curb_mass": _fig('"1500 kg"')},
         ("pack_mass", "curb_mass")),
        ("vehicle", "cells-vs-voltage", {"series_cells": "10", "voltage_class": _fig('"800 V"')},
         ("series_cells", "voltage_class")),
        ("vehicle", "test-below-curb", {"test_mass": _fig('"1000 kg"'),
                                        "curb_mass": _fig('"2000 kg"')},
         ("test_mass", "curb_mass")),
    ]  # fmt: skip
    cases = []
    for kind, rid, changes, names in rows:
        text = BASES[kind]
        for k, v in changes.items():
            text = set_key(text, k, v)
        name = f"{kind}-{rid}.toml"
        cases.append(_validate_case(f"cross.{kind}={rid}", name, text, names))
        cases.append(_use_case(f"cross-use.{kind}={rid}", kind, f"./{name}", text, names))
    return cases


TOML_ERRORS = {
    "unclosed-bracket": 'kind = "charger"\nmax_voltage = [\n',
    "missing-equals": 'kind = "charger"\ntitle "t"\n',
    "unterminated-string": 'kind = "charger\ntitle = "t"\n',
    "duplicate-key": CHARGER + 'title = "again"\n',
    "bad-escape": CHARGER + 'description = "a \\q b"\n',
    "bad-date": CHARGER + "connector = 2024-13-45\n",
    "double-equals": CHARGER + "connector = = 'x'\n",
    "table-redefined": CHARGER + "[provenance]\nsource='s'\n[provenance]\nkind='assumed'\n",
    "bare-value": CHARGER + "just words\n",
    "inline-newline": 'kind = "charger"\nmax_power = { value = "1 kW",\n source = "s" }\n',
    "trailing-comma": 'kind = "charger"\nmax_power = { value = "1 kW", }\n',
    "leading-zero": CHARGER + "connector = 007\n",
    "control-char": CHARGER + 'connector = "a\x01b"\n',
    "nul-byte": CHARGER + 'connector = "a\x00b"\n',
    "only-comment": "# nothing here\n",
    "only-table": "[provenance]\n",
    "array-of-tables-kind": "[[kind]]\nx = 1\n",
    "kind-number": "kind = 5\ntitle = 't'\n",
    "kind-list": 'kind = ["charger"]\ntitle = "t"\n',
    "kind-unknown": 'kind = "chargr"\ntitle = "t"\n',
    "kind-sweep": 'kind = "sweep"\ntitle = "t"\n',
    "kind-upper": CHARGER.replace('kind = "charger"', 'kind = "Charger"'),
    "no-kind": CHARGER.replace('kind = "charger"\n', ""),
    "empty": "",
    "blank": "   \n\n\t\n",
}


#: Texts that are valid after all (the kind is read in any case).
VALID_TEXTS = {"kind-upper"}


def _general_cases() -> list[Case]:
    cases = []
    for rid, text in TOML_ERRORS.items():
        name = f"syntax-{rid}.toml"
        case = _validate_case(f"toml={rid}", name, text, (name,))
        if rid in VALID_TEXTS:
            case = dataclasses.replace(case, ok=True)
        cases.append(case)
    # unknown keys, in each kind, at the top level and inside a figure
    for kind, base in BASES.items():
        for rid, (key, raw) in {
            "typo": ("max_powr" if kind == "charger" else "titel", '"x"'),
            "unicode-key": ('"pöwer"', '"1 kW"'),
            "figure-extra": (None, None),
            "long-key": ("k" * 3000, "1"),
        }.items():
            if key is None:
                field = next(f.name for f in FIELDS[kind].values() if f.type == "quantity")
                text = set_key(base, field, '{ value = "1", source = "s", kind = "assumed", '
                               'unit = "x", sauce = 1 }')  # fmt: skip
                names = (field,)
            else:
                text = set_key(base, key, raw)
                names = (key.strip('"')[:20],)
            cases.append(
                _validate_case(f"unknown.{kind}={rid}", f"{kind}-{rid}.toml", text, names)
            )
        # every required field left out, one at a time
        for f in FIELDS[kind].values():
            if f.required and f.name != "extends":
                name = f"{kind}-missing-{f.name}.toml"
                cases.append(_validate_case(f"missing.{kind}={f.name}", name,
                                            drop_key(base, f.name), (f.name,)))  # fmt: skip
        # text fields of the wrong type, and choice fields out of their choices
        for f in FIELDS[kind].values():
            if f.type in ("text", "ref", "choice"):
                for rid, raw in (
                    ("int", "5"),
                    ("table", "{ a = 1 }"),
                    ("long", '"' + "x" * 20000 + '"'),
                ):
                    if rid == "long" and f.type == "text":
                        continue  # a long description may be fine
                    name = f"{kind}-{f.name}-{rid}.toml"
                    cases.append(_validate_case(f"type.{kind}.{f.name}={rid}", name,
                                                set_key(base, f.name, raw), (f.name,)))  # fmt: skip
            if f.type == "int":
                for rid, raw in (("float", "1.5"), ("text", '"many"'), ("negative", "-4"),
                                 ("huge", str(2**70))):  # fmt: skip
                    name = f"{kind}-{f.name}-{rid}.toml"
                    cases.append(_validate_case(f"type.{kind}.{f.name}={rid}", name,
                                                set_key(base, f.name, raw), (f.name,)))  # fmt: skip
    # deep nesting
    depth = 5000
    for rid, text in {
        "deep-array": CHARGER + "connector = " + "[" * depth + "]" * depth + "\n",
        "deep-inline": CHARGER + "connector = " + "{a=" * depth + "1" + "}" * depth + "\n",
        "deep-figure": CHARGER.replace(
            '{ value = "150 kW"', "{ value = " + "[" * 300 + "]" * 300, 1
        ),
        "many-keys": CHARGER + "".join(f"k{i} = {i}\n" for i in range(20000)),
    }.items():
        name = f"nest-{rid}.toml"
        cases.append(_validate_case(f"nesting={rid}", name, text, (name,)))
    # encodings
    for rid, data in {
        "latin-1": CHARGER.replace('title = "t"', 'title = "Ladesäule"').encode("latin-1"),
        "utf-16": CHARGER.encode("utf-16"),
        "utf-16-le": CHARGER.encode("utf-16-le"),
        "invalid-bytes": CHARGER.encode() + b'connector = "\xff\xfe\xfd"\n',
        "binary": bytes(range(256)) * 40,
        "gzip": b"\x1f\x8b\x08\x00" + bytes(100),
        "bom-only": b"\xef\xbb\xbf",
    }.items():
        name = f"enc-{rid}.toml"
        cases.append(_validate_case(f"encoding={rid}", name, data, (name,)))
        cases.append(_use_case(f"encoding-use={rid}", "charger", f"./{name}", data, (name,)))
    # huge file (a valid spec padded with comments far past any sane size)
    big = CHARGER + ("# " + "x" * 1000 + "\n") * 16_000
    cases.append(_validate_case("size=16MB-comments", "huge.toml", big, ("huge.toml",)))
    cases.append(
        _use_case("size-use=16MB-comments", "charger", "./huge.toml", big, ("huge.toml",))
    )
    return cases


def _extends_cases() -> list[Case]:
    def chain(n: int, circular: bool = False):
        def setup(folder: Path) -> None:
            d = folder / "specs" / "chargers"
            d.mkdir(parents=True)
            (d / "c0.toml").write_text(
                CHARGER if not circular else CHARGER + f'extends = "c{n - 1}"\n'
            )
            for i in range(1, n):
                (d / f"c{i}.toml").write_text(
                    f'kind = "charger"\ntitle = "c{i}"\nextends = "c{i - 1}"\n'
                )

        return setup

    cases = []
    for n in (1500, 5000):
        cases.append(Case("spec-files", f"extends=chain-{n}",
                          ("specs", "validate", f"specs/chargers/c{n - 1}.toml"),
                          ("extends", f"c{n - 1}"), frozenset({1}), setup=chain(n)))  # fmt: skip
        cases.append(Case("spec-files", f"extends-use=chain-{n}",
                          ("charge", "kia-ev6-77", "--charger", f"c{n - 1}", "--json"),
                          ("extends", f"c{n - 1}"), frozenset({1, 2}), setup=chain(n)))  # fmt: skip
    cases.append(Case("spec-files", "extends=circle-50",
                      ("charge", "kia-ev6-77", "--charger", "c49", "--json"),
                      ("circular", "extends"), frozenset({1, 2}), setup=chain(50, True)))  # fmt: skip
    self_ref = CHARGER + 'extends = "selfref"\n'

    def selfref(folder: Path) -> None:
        d = folder / "specs" / "chargers"
        d.mkdir(parents=True)
        (d / "selfref.toml").write_text(self_ref)

    cases.append(Case("spec-files", "extends=self", ("specs", "validate", "specs/chargers/selfref.toml"),
                      ("extends", "circular", "selfref"), frozenset({1}), setup=selfref))  # fmt: skip
    for rid, target in (("missing", "no-such-charger"), ("path", "../x"), ("number", 5)):
        text = CHARGER + f"extends = {target!r}\n".replace("'", '"')
        name = f"extends-{rid}.toml"
        cases.append(_validate_case(f"extends={rid}", name, text, ("extends",)))
    return cases


def _kind_cases() -> list[Case]:
    """Paths that are not regular spec files: folders, links, devices."""

    def folder_named(name):
        return lambda d: (d / name).mkdir()

    def link(name, target, make_target=None):
        def setup(d: Path) -> None:
            if make_target:
                make_target(d)
            os.symlink(target, d / name)

        return setup

    def loop(d: Path) -> None:
        os.symlink("b.toml", d / "a.toml")
        os.symlink("a.toml", d / "b.toml")

    rows = [
        ("directory", "dir.toml", folder_named("dir.toml")),
        ("dangling-link", "dangling.toml", link("dangling.toml", "nowhere.toml")),
        ("link-loop", "a.toml", loop),
        ("link-to-dir", "linkdir.toml", link("linkdir.toml", "realdir", folder_named("realdir"))),
        ("missing", "missing.toml", None),
        ("dev-null", "/dev/null", None),
        ("proc-file", "/proc/self/status", None),
        ("not-toml-ext", "notes.txt", _writer("notes.txt", CHARGER)),
    ]
    cases = []
    for rid, path, setup in rows:
        # a link may be named by itself or by where it leads
        names = (Path(path).name, path, "nowhere.toml", "realdir")
        ok = rid == "not-toml-ext"  # a valid spec given by its path, whatever its suffix
        cases.append(Case("spec-files", f"filekind={rid}", ("specs", "validate", path), names,
                          frozenset({1, 2}), ok, setup=setup))  # fmt: skip
        argv = (
            "charge",
            "kia-ev6-77",
            "--charger",
            path if "/" in path else f"./{path}",
            "--json",
        )
        cases.append(Case("spec-files", f"filekind-use={rid}", argv, names, frozenset({1, 2}), ok,
                          setup=setup))  # fmt: skip

    # a spec folder holding a link out of it: listing must not follow it into an error
    def outside_link(d: Path) -> None:
        (d / "specs" / "chargers").mkdir(parents=True)
        os.symlink("/dev/null", d / "specs" / "chargers" / "devnull.toml")

    cases.append(Case("spec-files", "filekind=link-in-specs-folder",
                      ("charge", "kia-ev6-77", "--charger", "devnull", "--json"),
                      ("devnull",), frozenset({1, 2}), setup=outside_link))  # fmt: skip
    return cases


CASES = (
    _field_cases()
    + _table_cases()
    + _cross_cases()
    + _general_cases()
    + _extends_cases()
    + _kind_cases()
)
