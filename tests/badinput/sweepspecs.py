# ruff: noqa: E501 - tables of cases read best one case a line
"""Bad sweep specs: axes, sizes, grids past int64, distributions, seeds, keys,
summaries (quantiles, best, Pareto) and encodings."""

from __future__ import annotations

from pathlib import Path

from tests.badinput.harness import Case

__all__ = ["BASE", "CASES", "GRID_AXIS"]

HEAD = 'kind = "sweep"\ntitle = "t"\n'
BASE_TABLE = '[base]\nvehicle = "byd-han-l"\ncharger = "byd-megawatt"\nyears = 10\n'
GRID_AXIS = '[[axis]]\nfield = "charger.max_power"\nvalues = ["100 kW", "200 kW"]\n'
BASE = HEAD + BASE_TABLE + GRID_AXIS
MC_AXIS = (
    '[[axis]]\nfield = "usage.annual_distance"\ndistribution = "uniform"\n'
    'low = "10000 km"\nhigh = "20000 km"\n'
)
MC = HEAD + BASE_TABLE.replace("years = 10\n", 'usage = "private-china"\nyears = 10\n') + MC_AXIS


def _axis(**kv) -> str:
    body = "".join(f"{k} = {v}\n" for k, v in kv.items())
    return "[[axis]]\n" + body


def _dist(field: str, dist: str, **kv) -> str:
    return _axis(field=f'"{field}"', distribution=f'"{dist}"', **kv)


def _draws(n, seed=1) -> str:
    return f"[draws]\nn = {n}\nseed = {seed}\n"


MC1 = MC + _draws(4)
BIG = 'from = "50 kW"\nto = "1000 kW"\n'

#: (id, text, words one of which the error names, exit 0 allowed)
ROWS = [
    # axes
    ("axis-no-field", BASE + '[[axis]]\nvalues = ["1 kW"]\n', ("field",), False),
    ("axis-unknown-field", BASE + _axis(field='"charger.max_powr"', values='["1 kW"]'),
     ("charger.max_powr",), False),
    ("axis-field-number", BASE + _axis(field="5", values='["1 kW"]'), ("field",), False),
    ("axis-empty-values", HEAD + BASE_TABLE + _axis(field='"charger.max_power"', values="[]"),
     ("values",), False),
    ("axis-values-not-list", HEAD + BASE_TABLE + _axis(field='"charger.max_power"',
                                                        values='"100 kW"'), ("values",), False),
    ("axis-values-wrong-dim", HEAD + BASE_TABLE + _axis(field='"charger.max_power"',
                                                         values='["100 kg"]'), ("values",), False),
    ("axis-values-nan", HEAD + BASE_TABLE + _axis(field='"charger.max_power"', values="[nan]"),
     ("values",), False),
    ("axis-values-inf", HEAD + BASE_TABLE + _axis(field='"charger.max_power"',
                                                   values='["inf kW"]'), ("values",), False),
    ("axis-values-negative", HEAD + BASE_TABLE + _axis(field='"charger.max_power"',
                                                        values='["-100 kW"]'), ("values", "max_power"),
     False),
    ("axis-values-bool", HEAD + BASE_TABLE + _axis(field='"charger.max_power"', values="[true]"),
     ("values",), False),
    ("axis-values-tables", HEAD + BASE_TABLE + _axis(field='"charger.max_power"',
                                                      values="[{a = 1}]"), ("values",), False),
    ("axis-values-nested", HEAD + BASE_TABLE + _axis(field='"charger.max_power"',
                                                      values='[["1 kW"]]'), ("values",), False),
    ("axis-duplicate", BASE + GRID_AXIS, ("charger.max_power", "two axes"), False),
    ("axis-unknown-key", BASE.replace('values = ["100 kW"', 'valuez = 3\nvalues = ["100 kW"'),
     ("valuez",), False),
    ("axis-not-table", HEAD + BASE_TABLE + 'axis = 5\n', ("axis",), False),
    ("axis-list-of-numbers", HEAD + 'axis = [1, 2]\n' + BASE_TABLE, ("axis",), False),
    ("axis-category-unknown", BASE + _axis(field='"vehicle"', values='["no-such-car"]'),
     ("no-such-car",), False),
    ("axis-category-numbers", BASE + _axis(field='"vehicle"', values="[1, 2]"),
     ("values", "vehicle"), False),
    ("axis-category-repeated", BASE + _axis(field='"vehicle"', values='["byd-han-l", "byd-han-l"]'),
     ("repeated", "values"), False),
    ("axis-category-distribution", BASE + _dist("vehicle", "uniform", low=1, high=2),
     ("vehicle",), False),
    ("range-no-num", HEAD + BASE_TABLE + _axis(field='"charger.max_power"') + BIG, ("num",), False),
    ("range-num-zero", HEAD + BASE_TABLE + _axis(field='"charger.max_power"', num=0) + BIG,
     ("num",), False),
    ("range-num-negative", HEAD + BASE_TABLE + _axis(field='"charger.max_power"', num=-5) + BIG,
     ("num",), False),
    ("range-num-float", HEAD + BASE_TABLE + _axis(field='"charger.max_power"', num=2.5) + BIG,
     ("num",), False),
    ("range-num-text", HEAD + BASE_TABLE + _axis(field='"charger.max_power"', num='"ten"') + BIG,
     ("num",), False),
    ("range-num-1e12", HEAD + BASE_TABLE + _axis(field='"charger.max_power"', num=10**12) + BIG,
     ("num", "rows", "points", "size"), False),
    ("range-num-2e63", HEAD + BASE_TABLE + _axis(field='"charger.max_power"', num=2**63 - 1) + BIG,
     ("num", "rows", "points", "size"), False),
    ("range-log-negative", HEAD + BASE_TABLE + _axis(field='"usage.electricity_price"',
     scale='"log"', num=3) + 'from = "-1 USD/kWh"\nto = "1 USD/kWh"\n', ("log", "from"), False),
    ("range-scale-bad", HEAD + BASE_TABLE + _axis(field='"charger.max_power"', num=3,
                                                   scale='"cubic"') + BIG, ("scale",), False),
    ("range-wrong-dim", HEAD + BASE_TABLE + _axis(field='"charger.max_power"', num=3)
     + 'from = "1 kg"\nto = "2 kg"\n', ("from", "kW"), False),
    ("range-outside-bounds", HEAD + BASE_TABLE + _axis(field='"charger.max_power"', num=3)
     + 'from = "1 kW"\nto = "1e9 kW"\n', ("max_power", "outside"), False),
    # sizes: huge grids, grids past int64
    ("grid-int64-overflow", HEAD + BASE_TABLE + "".join(
        _axis(field=f'"{f}"', num=2**20) + BIG.replace("kW", u)
        for f, u in (("charger.max_power", "kW"), ("usage.annual_distance", "km"),
                     ("usage.electricity_price", "USD/kWh"), ("usage.fast_charge_price", "USD/kWh")))
     .replace('from = "50 km"\nto = "1000 km"', 'from = "1000 km"\nto = "100000 km"')
     .replace('from = "50 USD/kWh"\nto = "1000 USD/kWh"', 'from = "0.05 USD/kWh"\nto = "1 USD/kWh"'),
     ("rows", "size", "large", "grid"), False),
    ("grid-2-64-rows", HEAD + BASE_TABLE.replace("years = 10\n", 'usage = "private-china"\n')
     + _axis(field='"charger.max_power"', num=2**32) + BIG + MC_AXIS + _draws(2**32),
     ("rows", "size", "large", "draws"), False),
    ("draws-1e12", MC + _draws(10**12), ("rows", "draws", "--stream", "size"), False),
    ("draws-zero", MC + _draws(0), ("draws", "n"), False),
    ("draws-negative", MC + _draws(-5), ("draws", "n"), False),
    ("draws-float", MC + _draws(2.5), ("draws", "n"), False),
    ("draws-text", MC + _draws('"many"'), ("draws", "n"), False),
    ("draws-without-random", BASE + _draws(5), ("draws",), False),
    ("random-without-draws", MC, ("draws",), False),
    ("draws-unknown-key", MC + "[draws]\nn = 4\nseeed = 5\n", ("seeed",), False),
    ("draws-not-table", MC + "draws = 5\n", ("draws",), False),
    # seeds
    ("seed-negative", MC + _draws(4, -1), ("seed",), False),
    ("seed-float", MC + _draws(4, 1.5), ("seed",), False),
    ("seed-text", MC + _draws(4, '"x"'), ("seed",), False),
    ("seed-huge", MC + _draws(4, 2**63 - 1), ("seed",), True),
    ("seed-bool", MC + _draws(4, "true"), ("seed",), False),
    ("seed-zero", MC + _draws(4, 0), ("seed",), True),
    # distributions
    ("dist-unknown", MC.replace('"uniform"', '"gaussian"') + _draws(4), ("gaussian",), False),
    ("dist-missing-param", MC.replace('high = "20000 km"\n', "") + _draws(4), ("high",), False),
    ("dist-extra-param", MC.replace('high = "20000 km"\n', 'high = "20000 km"\nsd = "1 km"\n')
     + _draws(4), ("sd", "uniform"), False),
    ("uniform-reversed", MC.replace('"10000 km"', '"30000 km"') + _draws(4), ("low", "high"),
     False),
    ("uniform-equal", MC.replace('"20000 km"', '"10000 km"') + _draws(4), ("low", "high"), False),
    ("uniform-wrong-dim", MC.replace('"10000 km"', '"10000 kg"') + _draws(4), ("low",), False),
    ("uniform-negative-discount", MC + _dist("economics.discount_rate", "uniform",
     low='"-90 %"', high='"-50 %"') + _draws(4), ("discount_rate", "low"), False),
    ("uniform-beyond-bounds", MC + _dist("usage.fast_charge_share", "uniform", low='"0 %"',
     high='"300 %"') + _draws(4), ("fast_charge_share", "high"), False),
    ("triangular-low-above-high", MC + _dist("usage.fast_charge_share", "triangular",
     low='"80 %"', mode='"20 %"', high='"0 %"') + _draws(4), ("triangular", "low"), False),
    ("triangular-mode-outside", MC + _dist("usage.fast_charge_share", "triangular",
     low='"10 %"', mode='"90 %"', high='"50 %"') + _draws(4), ("triangular", "mode"), False),
    ("normal-negative-sd", MC + _dist("usage.temperature", "normal", mean='"25 degC"',
     sd='"-6 K"') + _draws(4), ("sd", "normal"), False),
    ("normal-zero-sd", MC + _dist("usage.temperature", "normal", mean='"25 degC"',
     sd='"0 K"') + _draws(4), ("sd", "normal"), False),
    ("normal-nan-mean", MC + _dist("usage.temperature", "normal", mean="nan",
     sd='"6 K"') + _draws(4), ("mean",), False),
    ("normal-mean-beyond", MC + _dist("usage.temperature", "normal", mean='"5000 degC"',
     sd='"6 K"') + _draws(4), ("temperature", "mean"), False),
    ("lognormal-negative-median", MC + _dist("usage.electricity_price", "lognormal",
     median='"-0.1 USD/kWh"', sigma=0.3) + _draws(4), ("median",), False),
    ("lognormal-huge-sigma", MC + _dist("usage.electricity_price", "lognormal",
     median='"0.1 USD/kWh"', sigma=1000) + _draws(4), ("sigma",), False),
    ("lognormal-sigma-unit", MC + _dist("usage.electricity_price", "lognormal",
     median='"0.1 USD/kWh"', sigma='"0.3 kg"') + _draws(4), ("sigma",), False),
    ("dist-on-vehicle-field", MC + _dist("vehicle.battery_usable_energy", "uniform",
     low='"50 kWh"', high='"90 kWh"') + _draws(4), ("battery_usable_energy",), False),
    ("random-with-zip", MC.replace('high = "20000 km"\n', 'high = "20000 km"\nzip = "a"\n')
     + _draws(4), ("zip",), False),
    # base
    ("base-vehicle-number", BASE.replace('vehicle = "byd-han-l"', "vehicle = 5"), ("vehicle",),
     False),
    ("base-vehicle-unknown", BASE.replace('"byd-han-l"', '"no-such-car"'), ("no-such-car",), False),
    ("base-vehicle-path", BASE.replace('"byd-han-l"', '"/etc/passwd.toml"'), ("vehicle",), False),
    ("base-no-vehicle", BASE.replace('vehicle = "byd-han-l"\n', ""), ("vehicle",), False),
    ("base-unknown-key", BASE.replace("years = 10", "years = 10\nyaers = 3"), ("yaers",), False),
    ("base-years-zero", BASE.replace("years = 10", "years = 0"), ("years",), False),
    ("base-years-text", BASE.replace("years = 10", 'years = "ten"'), ("years",), False),
    ("base-years-huge", BASE.replace("years = 10", f"years = {2**70}"), ("years",), False),
    ("base-replace-200", BASE.replace("years = 10", 'years = 10\nreplace_below = "200 %"'),
     ("replace_below",), False),
    ("base-field-wrong-dim", BASE.replace("years = 10", 'years = 10\n"usage.annual_distance" = "5 kg"'),
     ("annual_distance",), False),
    ("base-not-table", HEAD + "base = 5\n" + GRID_AXIS, ("base",), False),
    # top level
    ("unknown-top-key", "seeed = 5\n" + BASE, ("seeed",), False),
    ("kind-missing", BASE.replace('kind = "sweep"\n', ""), ("kind",), False),
    ("kind-vehicle", BASE.replace('kind = "sweep"', 'kind = "vehicle"'), ("kind",), False),
    ("outputs-unknown", BASE + 'outputs = ["speed"]\n'.replace("\n", "", 0), ("outputs", "speed"),
     False),
    ("outputs-empty", HEAD + 'outputs = []\n' + BASE_TABLE + GRID_AXIS, ("outputs",), False),
    ("outputs-string", HEAD + 'outputs = "range"\n' + BASE_TABLE + GRID_AXIS, ("outputs",), False),
    # summaries
    ("quantiles-text", BASE + '[summary]\nquantiles = ["x"]\n', ("quantiles",), False),
    ("quantiles-above-1", BASE + "[summary]\nquantiles = [1.5]\n", ("quantiles",), False),
    ("quantiles-negative", BASE + "[summary]\nquantiles = [-0.1]\n", ("quantiles",), False),
    ("quantiles-nan", BASE + "[summary]\nquantiles = [nan]\n", ("quantiles",), False),
    ("quantiles-string", BASE + '[summary]\nquantiles = "median"\n', ("quantiles",), False),
    ("quantiles-percent", BASE + '[summary]\nquantiles = ["5 %", "95 %"]\n', ("quantiles",), True),
    ("quantiles-many", BASE + "[summary]\nquantiles = [" + ", ".join(["0.5"] * 100_000) + "]\n",
     ("quantiles",), False),
    ("best-unknown", BASE + '[summary]\nbest = ["speed"]\n', ("best", "speed"), False),
    ("best-number", BASE + "[summary]\nbest = 5\n", ("best",), False),
    ("best-table", BASE + "[summary]\nbest = { a = 1 }\n", ("best",), False),
    ("pareto-one", BASE + '[summary]\npareto = ["charge_10_80"]\n', ("pareto",), False),
    ("pareto-three", BASE + '[summary]\npareto = ["charge_10_80", "range", "peak_power"]\n',
     ("pareto",), False),
    ("pareto-unknown", BASE + '[summary]\npareto = ["charge_10_80", "speed"]\n',
     ("pareto", "speed"), False),
    ("pareto-number", BASE + "[summary]\npareto = 5\n", ("pareto",), False),
    ("pareto-same-twice", BASE + '[summary]\npareto = ["range", "range"]\n', ("pareto",), False),
    ("group-by-unknown", BASE + '[summary]\ngroup_by = ["color"]\n', ("group_by", "color"), False),
    ("group-by-string", BASE + '[summary]\ngroup_by = "vehicle"\n', ("group_by",), False),
    ("summary-unknown-key", BASE + "[summary]\nquantilez = [0.5]\n", ("quantilez",), False),
    ("summary-not-table", HEAD + "summary = 5\n" + BASE_TABLE + GRID_AXIS, ("summary",), False),
    # syntax and encodings
    ("toml-broken", BASE + "[[axis]\n", ("TOML",), False),
    ("toml-empty", "", ("empty", "kind"), False),
    ("deep-nesting", BASE + "x = " + "[" * 3000 + "]" * 3000 + "\n", ("TOML", "nest", "deep"),
     False),
]  # fmt: skip
ENCODED = [
    ("utf-16", BASE.encode("utf-16"), ("UTF-8", "utf-8", "TOML")),
    ("latin-1", (BASE + 'description = "Ladesäule"\n').encode("latin-1"), ("UTF-8", "utf-8")),
    ("binary", bytes(range(256)) * 20, ("UTF-8", "utf-8", "TOML")),
]


SIZES = {"draws-1e12", "grid-int64-overflow", "grid-2-64-rows", "range-num-1e12"}
STREAMABLE = {"draws-1e12"}


def _setup(name: str, content):
    def setup(folder: Path) -> None:
        p = folder / name
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")

    return setup


def _cases() -> list[Case]:
    cases = []
    for rid, text, words, ok in ROWS:
        name = f"sweep-{rid}.toml"
        # a size refused before any work may speak of the whole sweep, not of the file
        must = () if rid in SIZES else (name,)
        cases.append(Case("sweep-specs", f"sweep={rid}", ("sweep", f"./{name}", "--json"),
                          words, frozenset({1, 2}), ok, setup=_setup(name, text),
                          must=must))  # fmt: skip
        if not ok:
            # `specs validate` checks a sweep in specs/sweeps without running it
            def in_folder(d: Path, n=name, t=text) -> None:
                (d / "specs" / "sweeps").mkdir(parents=True)
                _setup(n, t)(d / "specs" / "sweeps")

            # a sweep too large to keep in memory is still a valid spec (run with --stream)
            cases.append(Case("sweep-specs", f"sweep-validate={rid}",
                              ("specs", "validate", f"specs/sweeps/{name}"), words,
                              frozenset({1}), rid in STREAMABLE, setup=in_folder,
                              must=(name,)))  # fmt: skip
    for rid, data, words in ENCODED:
        name = f"sweep-{rid}.toml"
        cases.append(Case("sweep-specs", f"sweep-encoding={rid}", ("sweep", f"./{name}", "--json"),
                          words, frozenset({1, 2}), setup=_setup(name, data),
                          must=(name,)))  # fmt: skip
    return cases


CASES = _cases()
