# ruff: noqa: E501 - tables of cases read best one case a line
"""Bad values for the options and arguments of every command.

Every quantity option gets the same families of values (wrong dimension, bad
syntax, NaN, infinities, huge, tiny, negative and zero numbers, operators,
empty text, very long text, unicode, percent conventions); a family a given
option may legitimately accept (``-5`` for a temperature, ``0`` for a start
SoC) is marked so that exit 0 is allowed, and the answer is then checked to be
physical. Names (vehicles, chargers, chemistries, cycles, usages, currencies,
sweeps, scenarios) get bad names, paths and text.
"""

from __future__ import annotations

from tests.badinput.harness import Case

__all__ = ["CASES"]

VEHICLE = "kia-ev6-77"
ADHOC = ("--battery", "77kWh", "--chemistry", "nmc811", "--peak-power", "233kW", "--voltage",
         "800V")  # fmt: skip
ADHOC_ROAD = ("--battery", "77kWh", "--mass", "1950kg", "--cd", "0.28")

#: (command prefix, option, dimension kind, extra arguments after the value)
OPTIONS = [
    (("charge", VEHICLE, "--json"), "--from", "soc", ()),
    (("charge", VEHICLE, "--json"), "--to", "soc", ()),
    (("charge", VEHICLE, "--json"), "--minutes", "time", ()),
    (("charge", VEHICLE, "--json"), "--add", "distance", ()),
    (("charge", VEHICLE, "--json"), "--consumption", "consumption", ()),
    (("charge", "--json", *ADHOC[2:]), "--battery", "energy", ()),
    (("charge", "--json", *ADHOC[:6]), "--voltage", "voltage", ()),
    (("charge", "--json", *ADHOC[:4], *ADHOC[6:]), "--peak-power", "power", ()),
    (("charge", "--json", *ADHOC), "--max-current", "current", ()),
    (("charge", "--json", *ADHOC), "--booster", "power0", ()),
    (("charge", VEHICLE, "--json"), "--charger-power", "power", ()),
    (("charge", VEHICLE, "--json"), "--charger-current", "current", ()),
    (("charge", VEHICLE, "--json"), "--charger-voltage", "voltage", ()),
    (("compare", VEHICLE, "--json"), "--from", "soc", ()),
    (("compare", VEHICLE, "--json"), "--to", "soc", ()),
    (("compare", VEHICLE, "--json"), "--minutes", "time", ()),
    (("range", VEHICLE, "--json", "--chemistry", "lfp", "--keep", "range"), "--target-range",
     "distance+", ()),
    (("range", "--json", *ADHOC_ROAD[2:]), "--battery", "energy", ()),
    (("range", "--json", *ADHOC_ROAD[:2], *ADHOC_ROAD[4:]), "--mass", "mass", ()),
    (("range", "--json", *ADHOC_ROAD[:4]), "--cd", "cd", ()),
    (("range", "--json", *ADHOC_ROAD), "--frontal-area", "area", ()),
    (("range", "--json", "--battery", "77kWh"), "--length", "distance+", ()),
    (("range", "--json", "--battery", "77kWh"), "--width", "distance+", ()),
    (("range", "--json", "--battery", "77kWh"), "--height", "distance+", ()),
    (("range", "--json", "--battery", "77kWh"), "--motor-power", "power", ()),
    (("health", "lfp", "--json"), "--efc-per-day", "efc", ()),
    (("health", "lfp", "--json"), "--charge-rate", "rate", ()),
    (("health", "lfp", "--json"), "--temperature", "temperature", ()),
    (("charge", VEHICLE, "--json"), "--ambient", "temperature", ()),
    (("charge", VEHICLE, "--json", "--ambient", "-10"), "--precondition", "time0", ()),
    (("charge", VEHICLE, "--json", "--ambient", "-10"), "--cabin", "temperature", ()),
    (("compare", VEHICLE, "--json"), "--ambient", "temperature", ()),
    (("range", VEHICLE, "--json"), "--ambient", "temperature", ()),
    (("range", VEHICLE, "--json", "--ambient", "-10"), "--cabin", "temperature", ()),
    (("range", VEHICLE, "--json", "--ambient", "-10"), "--precondition", "time0", ()),
    (("trip", VEHICLE, "--json", "--ambient", "-10"), "--cabin", "temperature", ()),
    (("compare", VEHICLE, "--json", "--ambient", "-10"), "--cabin", "temperature", ()),
    (("cost", "byd-han-l", "--json"), "--ambient", "temperature", ()),
    (("cost", "byd-han-l", "--json", "--climate", "oslo"), "--cabin", "temperature", ()),
    (("health", "lfp", "--json"), "--soc-window", "window", ()),
    (("cost", "byd-han-l", "--json"), "--km-per-year", "distance+", ()),
    (("cost", "byd-han-l", "--json"), "--vehicle-price", "money", ()),
    (("cost", "byd-han-l", "--json"), "--electricity", "price", ()),
    (("cost", "byd-han-l", "--json"), "--fast-price", "price", ()),
    (("cost", "byd-han-l", "--json"), "--fast-share", "share", ()),
    (("cost", "byd-han-l", "--json"), "--discount-rate", "rate%", ()),
    (("cost", "byd-han-l", "--json"), "--maintenance", "per-km", ()),
    (("cost", "byd-han-l", "--json"), "--value-of-time", "per-h", ()),
    (("cost", "byd-han-l", "--json"), "--residual", "share", ()),
    (("cost", "byd-han-l", "--json"), "--replace-below", "share+", ()),
    (("trend", "--json"), "--growth", "growth", ()),
    (("trip", VEHICLE, "--json"), "--distance", "distance+", ()),
    (("trip", VEHICLE, "--json"), "--speed", "speed", ()),
    (("trip", VEHICLE, "--json"), "--start", "soc", ()),
    (("trip", VEHICLE, "--json"), "--reserve", "share", ()),
    (("trip", VEHICLE, "--json"), "--overhead", "time0", ()),
    (("trip", VEHICLE, "--json"), "--ambient", "temperature", ()),
    (("trip", VEHICLE, "--json", "--ambient", "-10"), "--precondition", "time0", ()),
    (("trip", "--json", *ADHOC_ROAD[2:]), "--battery", "energy", ()),
    (("trip", "--json", *ADHOC_ROAD[:2], *ADHOC_ROAD[4:]), "--mass", "mass", ()),
    (("trip", "--json", *ADHOC_ROAD[:4]), "--cd", "cd", ()),
    (("trip", VEHICLE, "--json"), "--price", "price", ()),
]  # fmt: skip

#: A value of the wrong dimension for each kind, and a unit of the right one.
WRONG = {
    "soc": ("35 kWh", "5 km"),
    "time": ("5 kWh", "5 km"),
    "distance": ("400 kWh", "5 min"),
    "distance+": ("400 kWh", "5 min"),
    "consumption": ("16 kWh", "16 km/kWh"),
    "energy": ("77 kg", "77 kW"),
    "voltage": ("800 A", "800 kWh"),
    "power": ("233 kWh", "233 V"),
    "power0": ("50 kWh", "50 A"),
    "current": ("500 V", "500 kW"),
    "mass": ("1950 kWh", "1950 m"),
    "cd": ("0.28 kg", "0.28 m^2"),
    "area": ("2.3 m", "2.3 kg"),
    "efc": ("1 kWh", "1 km"),
    "rate": ("1 kW", "1 km"),
    "temperature": ("35 kg", "35 V"),
    "time0": ("5 kWh", "5 km"),
    "window": ("30 kWh..80 kWh", "30 km..80%"),
    "money": ("45000 kWh", "45000 km"),
    "price": ("0.6 USD", "0.6 kWh"),
    "share": ("20 kWh", "20 USD"),
    "share+": ("70 kWh", "70 km"),
    "rate%": ("5 km", "5 USD"),
    "per-km": ("0.03 USD/kWh", "0.03 km"),
    "per-h": ("15 USD/km", "15 h"),
    "growth": ("37 kWh", "37 km"),
    "speed": ("120 kWh", "120 km"),
}
UNIT = {
    "soc": "%", "time": "min", "time0": "min", "distance": "km", "distance+": "km", "consumption": "kWh/100km",
    "energy": "kWh", "voltage": "V", "power": "kW", "power0": "kW", "current": "A", "mass": "kg",
    "cd": "", "area": "m^2", "efc": "", "rate": "/h", "temperature": "degC", "window": "%",
    "money": "USD", "price": "USD/kWh", "share": "%", "share+": "%", "rate%": "%",
    "per-km": "USD/km", "per-h": "USD/h", "growth": "%", "speed": "km/h",
}  # fmt: skip
#: Value families a kind may accept (exit 0 allowed, answer checked).
MAY_ACCEPT = {
    "soc": {"zero", "tiny"},
    "time": {"zero", "tiny"},
    "time0": {"zero", "tiny"},
    "distance": {"zero", "tiny"},
    "power0": {"zero", "tiny"},
    "current": set(),
    "temperature": {"zero", "tiny", "negative"},
    "window": set(),
    "share": {"zero", "tiny"},
    "rate%": {"zero", "tiny"},
    "per-km": {"zero", "tiny"},
    "per-h": {"zero", "tiny"},
    "price": {"zero", "tiny"},
    "growth": {"zero", "tiny", "negative"},
    "efc": {"tiny"},  # almost no cycling: calendar fade only
    "share+": {"zero", "tiny"},  # replace below 0 %: never replaced
}


def _values(kind: str) -> list[tuple[str, str, str]]:
    """(family, id, value) for an option of ``kind``."""
    u = UNIT[kind]
    sp = f" {u}" if u else ""
    w1, w2 = WRONG[kind]
    vals = [
        ("dimension", "wrong-dim-1", w1),
        ("dimension", "wrong-dim-2", w2),
        ("dimension", "unknown-unit", "12 furlongz"),
        ("syntax", "letters", "abc"),
        ("syntax", "two-numbers", "12 12"),
        ("syntax", "dots", "1..2..3"),
        ("syntax", "dangling-exp", "1e"),
        ("syntax", "paren", f"12{sp})"),
        ("syntax", "open-paren", "("),
        ("syntax", "comma-decimal", "1,5"),
        ("syntax", "brackets", f"12 [{u or 'x'}]"),
        ("syntax", "hash", f"12{sp} # note"),
        ("syntax", "unit-only", u or "kWh"),
        ("syntax", "python", "__import__('os').getcwd()"),
        ("syntax", "shell", f"12{sp}; rm -rf /"),
        ("nan", "nan", "nan"),
        ("nan", "NaN-unit", f"NaN{sp}"),
        ("nan", "minus-nan", "-nan"),
        ("inf", "inf", "inf"),
        ("inf", "minus-inf-unit", f"-inf{sp}"),
        ("inf", "Infinity", "Infinity"),
        ("inf", "1e309", "1e309"),
        ("inf", "1e309-unit", f"1e309{sp}"),
        ("huge", "1e308-unit", f"1e308{sp}"),
        ("huge", "1e30", "1e30"),
        ("huge", "400-digits", "9" * 400),
        ("huge", "2000-digits", "7" * 2000),
        ("tiny", "1e-308", "1e-308"),
        ("tiny", "denormal", "5e-324"),
        ("negative", "minus-5", f"-5{sp}"),
        ("negative", "minus-1e-9", "-1e-9"),
        ("negative", "minus-1e300", "-1e300"),
        ("zero", "zero", "0"),
        ("zero", "minus-zero", f"-0{sp}"),
        ("operator", "percent-op", f"77{sp} % 3"),
        ("operator", "power-op", f"2**10{sp}"),
        ("operator", "caret", f"2^10{sp}"),
        ("operator", "tower", "2**2**2**2**2"),
        ("operator", "div-zero", f"7{sp} / 0"),
        ("operator", "zero-by-zero", "0/0"),
        ("zero", "times-zero", f"5{sp} * 0"),
        ("operator", "mixed-sum", f"5{sp} + 3 kg"),
        ("operator", "exp-exp", "1e3**1e3"),
        ("empty", "empty", ""),
        ("empty", "blank", "   "),
        ("empty", "tab-newline", "\t\n"),
        ("long", "long-letters", "x" * 3000),
        ("long", "long-units", "12 " + "kWh*" * 800 + "kWh"),
        ("long", "long-parens", "(" * 500 + "1" + ")" * 500),
        ("unicode", "emoji", "🔋"),
        ("unicode", "nul", f"12\x00{sp}"),
        ("unicode", "arabic-digits", "١٢"),
        ("unicode", "rtl", f"\u202e12{sp}"),
        ("unicode", "zero-width", f"1\u200b2{sp}"),
        ("percent", "double-percent", "10%%"),
        ("percent", "percent-only", "%"),
        ("percent", "leading-percent", "%10"),
        ("percent", "percent-percent", "10 % %"),
        ("percent", "permille", "10 ‰"),
    ]
    return vals


#: Values read the way a person means them (``12 [kWh]`` is 12 kWh, ``١٢`` is 12): exit 0
#: is fine as long as the answer is physical.
LENIENT = {"brackets", "hash", "nul", "arabic-digits", "rtl", "power-op", "caret"}
#: Kinds for which a huge time or distance is a question with an answer (never reached).
HUGE_OK = {"time", "distance"}


def _option_cases() -> list[Case]:
    cases = []
    for prefix, option, kind, extra in OPTIONS:
        stem = option.lstrip("-")
        names = (option, stem, stem.replace("-", "_"), stem.replace("-", " "))
        for family, vid, value in _values(kind):
            ok = family in MAY_ACCEPT.get(kind, set()) or vid in LENIENT
            ok = ok or (family == "huge" and kind in HUGE_OK and vid != "1e308-unit")
            ok = ok or (vid == "long-parens" and kind in ("cd", "efc"))
            cid = f"{prefix[0]}{option}={vid}"
            argv = (*prefix, option, value, *extra)
            cases.append(Case("options", cid, argv, names, frozenset({2}), ok))
    return cases


#: Bad names and paths for the arguments and name options.
BAD_NAMES = [
    ("unknown", "no-such-thing"),
    ("typo", "kia-ev6-7"),
    ("empty", ""),
    ("blank", "  "),
    ("upper", "KIA-EV6-77"),
    ("unicode", "kïa-év6"),
    ("emoji", "🚗"),
    ("long", "a" * 5000),
    ("path-missing", "missing/car.toml"),
    ("traversal", "../../../../etc/passwd"),
    ("dev-null", "/dev/null"),
    ("nul-byte", "kia\x00ev6"),
    ("option-like", "--json"),
    ("glob", "*"),
]


def _name_cases() -> list[Case]:
    cases = []
    targets = [
        (("charge",), ("--json",), "vehicle"),
        (("charge", VEHICLE, "--charger"), ("--json",), "charger"),
        (("compare",), ("--json",), "vehicle"),
        (("compare", VEHICLE, "--charger"), ("--json",), "charger"),
        (("range",), ("--json",), "vehicle"),
        (("range", VEHICLE, "--cycle"), ("--json",), "cycle"),
        (("range", VEHICLE, "--keep", "mass", "--chemistry"), ("--json",), "chemistry"),
        (("health",), ("--json",), "chemistry"),
        (("cost",), ("--json",), "vehicle"),
        (("cost", "byd-han-l", "--usage"), ("--json",), "usage"),
        (("cost", "byd-han-l", "--charger"), ("--json",), "charger"),
        (("cost", "byd-han-l", "--currency"), ("--json",), "currency"),
        (("trend", "--data"), ("--json",), "data"),
        (("scenario", "run"), ("--json",), "scenario"),
        (("sweep",), ("--json",), "sweep"),
        (("specs", "show"), (), "spec"),
        (("trip",), ("--json",), "vehicle"),
        (("trip", VEHICLE, "--route"), ("--json",), "route"),
        (("compare", VEHICLE, "--trip"), ("--json",), "route"),
    ]
    for prefix, suffix, what in targets:
        for vid, value in BAD_NAMES:
            if value == "--json" and prefix[-1] not in ("--charger", "--cycle", "--usage"):
                continue  # would be read as the flag itself
            cid = f"{' '.join(prefix)}={vid}".replace(" ", "_")
            # the message names the value, the kind of thing or the option
            shown = value[:40] if value.strip() else "empty"
            names = (what, prefix[-1], shown, shown.rsplit("/", 1)[-1], "name")
            cases.append(Case("options", cid, (*prefix, value, *suffix), names,
                              frozenset({1, 2})))  # fmt: skip
    return cases


def _misc_cases() -> list[Case]:
    """Integers, choices and combinations that must be refused."""
    rows = [
        ("health-years-0", ("health", "lfp", "--years", "0"), ("--years",)),
        ("health-years-neg", ("health", "lfp", "--years", "-3"), ("--years",)),
        ("health-years-float", ("health", "lfp", "--years", "2.5"), ("--years",)),
        ("health-years-huge", ("health", "lfp", "--years", "9" * 50), ("--years",)),
        ("health-years-41", ("health", "lfp", "--years", "41"), ("--years",)),
        ("cost-years-0", ("cost", "byd-han-l", "--years", "0"), ("--years",)),
        ("cost-years-31", ("cost", "byd-han-l", "--years", "31"), ("--years",)),
        ("trend-until-text", ("trend", "--until", "soon"), ("--until",)),
        ("trend-until-past", ("trend", "--until", "1900"), ("--until", "until", "year")),
        ("trend-until-far", ("trend", "--until", "99999"), ("--until", "until", "year")),
        ("trend-until-huge", ("trend", "--until", "9" * 40), ("--until", "until", "year")),
        ("trend-until-neg", ("trend", "--until", "-2030"), ("--until", "until", "year")),
        ("sweep-workers-0", ("sweep", "charger-power", "--workers", "0"), ("--workers",)),
        ("sweep-workers-huge", ("sweep", "charger-power", "--workers", "100000"), ("--workers",)),
        ("sweep-chunk-0", ("sweep", "charger-power", "--chunk-rows", "0"), ("--chunk-rows", "chunk")),
        ("sweep-chunk-neg", ("sweep", "charger-power", "--chunk-rows", "-1"),
         ("--chunk-rows", "chunk")),
        ("sweep-chunk-huge", ("sweep", "charger-power", "--chunk-rows", "9" * 30),
         ("--chunk-rows", "chunk")),
        ("sweep-chunk-text", ("sweep", "charger-power", "--chunk-rows", "many"), ("--chunk-rows",)),
        ("sweep-engine", ("sweep", "charger-power", "--engine", "spark"), ("--engine",)),
        ("sweep-resume-no-out", ("sweep", "charger-power", "--resume"), ("--resume",)),
        ("sweep-scheduler-local", ("sweep", "charger-power", "--scheduler", "tcp://x:1"),
         ("--scheduler",)),
        ("range-keep-bad", ("range", VEHICLE, "--chemistry", "lfp", "--keep", "volume"), ("--keep",)),
        ("range-keep-alone", ("range", VEHICLE, "--keep", "mass"), ("--keep", "--chemistry")),
        ("range-target-no-keep", ("range", VEHICLE, "--target-range", "600km"),
         ("--target-range",)),
        ("range-adhoc-missing", ("range", "--mass", "1900kg", "--cd", "0.25"), ("--battery",)),
        ("range-year-old", ("range", "--battery", "77kWh", "--year", "1850"), ("--year",)),
        ("range-year-text", ("range", "--battery", "77kWh", "--year", "recent"), ("--year",)),
        ("range-body-bad", ("range", "--battery", "77kWh", "--body", "tank"), ("--body",)),
        ("range-market-bad", ("range", "--battery", "77kWh", "--market", "mars"), ("--market",)),
        ("range-brochure-and-vehicle", ("range", VEHICLE, "--body", "suv"), ("--body",)),
        ("range-adhoc-and-vehicle", ("range", VEHICLE, "--mass", "1900kg"), ("--mass",)),
        ("charge-adhoc-no-battery", ("charge", "--peak-power", "200kW", "--chemistry", "lfp"),
         ("--battery",)),
        ("charge-adhoc-and-vehicle", ("charge", VEHICLE, "--battery", "77kWh"), ("--battery",)),
        ("charge-nothing", ("charge",), ("VEHICLE", "vehicle")),
        ("charge-from-above-to", ("charge", VEHICLE, "--from", "80%", "--to", "10%"),
         ("--from", "--to", "from", "soc")),
        ("charge-from-eq-to", ("charge", VEHICLE, "--from", "50%", "--to", "50%"),
         ("--from", "--to", "from", "soc")),
        ("charge-fraction-from", ("charge", VEHICLE, "--from", "0.1", "--to", "0.8"),
         ("--from", "--to", "from", "percent", "%")),
        ("charge-to-101", ("charge", VEHICLE, "--to", "101%"), ("--to", "to", "soc")),
        ("charge-unknown-opt", ("charge", VEHICLE, "--speed", "5"), ("--speed",)),
        ("charge-plot-and-json-bad-ext", ("charge", VEHICLE, "--plot", "x.gif"), ("--plot", "x.gif")),
        ("health-window-one", ("health", "lfp", "--soc-window", "30%"), ("--soc-window",)),
        ("health-window-three", ("health", "lfp", "--soc-window", "10%..20%..30%"),
         ("--soc-window",)),
        ("health-window-reversed", ("health", "lfp", "--soc-window", "80%..30%"),
         ("--soc-window", "soc", "window")),
        ("health-window-equal", ("health", "lfp", "--soc-window", "50%..50%"),
         ("--soc-window", "soc", "window")),
        ("health-window-over", ("health", "lfp", "--soc-window", "30%..120%"),
         ("--soc-window", "soc", "window")),
        ("health-temp-c", ("health", "lfp", "--temperature", "35C"), ("--temperature",)),
        ("health-temp-deg", ("health", "lfp", "--temperature", "35 °C"), ("--temperature",)),
        ("health-temp-absolute-zero", ("health", "lfp", "--temperature", "-300degC"),
         ("--temperature", "temperature")),
        ("health-temp-hot", ("health", "lfp", "--temperature", "500degC"),
         ("--temperature", "temperature")),
        ("health-efc-1e-9", ("health", "lfp", "--efc-per-day", "1e-9"), ("--efc-per-day", "efc")),
        ("health-efc-100", ("health", "lfp", "--efc-per-day", "100"), ("--efc-per-day", "efc")),
        ("health-rate-coulomb", ("health", "lfp", "--charge-rate", "1 C"), ("--charge-rate",)),
        ("health-rate-100C", ("health", "lfp", "--charge-rate", "100C"),
         ("--charge-rate", "rate")),
        ("cost-currency-unknown", ("cost", "byd-han-l", "--currency", "GBP"), ("--currency",)),
        ("cost-residual-200", ("cost", "byd-han-l", "--residual", "200%"), ("--residual",)),
        ("cost-share-150", ("cost", "byd-han-l", "--fast-share", "150%"), ("--fast-share",)),
        ("cost-replace-0", ("cost", "byd-han-l", "--replace-below", "0%"), ("--replace-below",)),
        ("cost-replace-100", ("cost", "byd-han-l", "--replace-below", "100%"),
         ("--replace-below",)),
        ("cost-discount-100", ("cost", "byd-han-l", "--discount-rate", "-100%"),
         ("--discount-rate",)),
        ("cost-price-1e308", ("cost", "byd-han-l", "--vehicle-price", "1e308 USD", "--json"),
         ("--vehicle-price", "price")),
        ("cost-electricity-1e308", ("cost", "byd-han-l", "--electricity", "1e308 USD/kWh",
                                    "--json"), ("--electricity", "electricity")),
        ("cost-time-1e308", ("cost", "byd-han-l", "--value-of-time", "1e300 USD/h", "--json"),
         ("--value-of-time", "value")),
        ("cost-maint-1e308", ("cost", "byd-han-l", "--maintenance", "1e300 USD/km", "--json"),
         ("--maintenance",)),
        ("charge-consumption-zero", ("charge", VEHICLE, "--consumption", "0 kWh/100km",
                                     "--minutes", "5"), ("--consumption",)),
        ("charge-consumption-neg", ("charge", VEHICLE, "--consumption", "-5 kWh/100km"),
         ("--consumption",)),
        ("range-target-neg", ("range", VEHICLE, "--chemistry", "lfp", "--keep", "range",
                              "--target-range", "-600 km"), ("--target-range", "target")),
        ("range-target-huge", ("range", VEHICLE, "--chemistry", "lfp", "--keep", "range",
                               "--target-range", "60000 km"), ("--target-range", "target")),
        ("range-cd-zero", ("range", "--battery", "77kWh", "--mass", "1950kg", "--cd", "0"),
         ("--cd", "cd", "drag")),
        ("range-mass-1g", ("range", "--battery", "77kWh", "--mass", "1 g", "--cd", "0.3"),
         ("--mass", "mass")),
        ("battery-percent-op", ("charge", "--battery", "77 kWh % 3", *ADHOC[2:]),
         ("--battery", "battery")),
        ("battery-10-pow-10", ("charge", "--battery", "10**10 kWh", *ADHOC[2:]),
         ("--battery", "battery")),
        ("specs-list-kind", ("specs", "list", "vehicles"), ("vehicles", "vehicle")),
        ("specs-fields-kind", ("specs", "fields", "engine"), ("engine", "vehicle")),
        ("specs-validate-nothing", ("specs", "validate"), ("PATHS",)),
        ("specs-show-nothing", ("specs", "show"), ("NAME",)),
        ("scenario-run-nothing", ("scenario", "run"), ("NAME",)),
        ("scenario-unknown-sub", ("scenario", "walk"), ("walk",)),
        ("unknown-command", ("chrage", VEHICLE), ("chrage", "charge")),
        ("compare-json-csv", ("compare", VEHICLE, "--json", "--csv"), ("--json", "--csv")),
        ("trend-json-csv", ("trend", "--json", "--csv"), ("--json", "--csv")),
        ("range-json-csv", ("range", VEHICLE, "--json", "--csv"), ("--json", "--csv")),
        ("charge-flag-value", ("charge", VEHICLE, "--json=yes"), ("--json",)),
        ("charge-option-no-value", ("charge", VEHICLE, "--minutes"), ("--minutes",)),
        ("compare-two-chargers", ("compare", VEHICLE, "--charger", "tesla-v2", "--charger",
                                  "ionity-350", "--json"), ("--charger",)),
    ]  # fmt: skip
    cases = []
    for cid, argv, names in rows:
        # comparing across chargers is a valid answer; "1 C" is the C-rate the help shows
        # and almost no cycling is a duty with an answer (calendar fade only)
        # "35 °C" is what people write for 35 degC
        # and the replacement threshold runs 0-100 % (never, or at once)
        ok = cid in ("compare-two-chargers", "health-rate-coulomb", "health-efc-1e-9",
                     "health-temp-deg", "cost-replace-0", "cost-replace-100")  # fmt: skip
        cases.append(Case("options", f"misc-{cid}", argv, names, frozenset({2}), ok))
    return cases


CASES = _option_cases() + _name_cases() + _misc_cases()
