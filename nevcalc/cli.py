"""The ``nevcalc`` command line: click parses, the library computes, rich renders.

Exit codes: 0 success; 1 a failure (an invalid spec file, an answer that
cannot be computed); 2 a usage error (an unknown option, a value of the
wrong dimension, a name that does not exist). Errors are one line each on
stderr, naming the problem and the fix; never a traceback for bad input.
"""

from __future__ import annotations

import errno
import io
import os
import re
import sys
import warnings
from contextvars import ContextVar
from dataclasses import replace

import click

from nevcalc import catalog, report
from nevcalc.brochure.road import BODIES, Brochure
from nevcalc.errors import InputError, NevcalcError, SpecError, SpecNotFound
from nevcalc.params import PARAMETERS, bounds_text, parse, parse_window
from nevcalc.report.format import json_text
from nevcalc.scenario import adhoc_vehicle, load_charger, load_vehicle
from nevcalc.scenario import charge as run_charge
from nevcalc.scenario.charge import (
    ChargerLimitError,
    charger_with_limits,
    given_consumption,
    with_heat_pump,
)
from nevcalc.scenario.road import (
    CABIN_SET_POINT,
    MARKET_PROCEDURES,
    DrivingClimate,
    brochure_road_vehicle,
    drive_range,
    load_road_vehicle,
    parse_departure,
    resize_pack,
)
from nevcalc.scenario.thermal import parse_precondition
from nevcalc.specs.schema import KIND_DIRS
from nevcalc.units import UnitInputError, _shown, exchange_rate, from_si

__all__ = ["cli", "json_document", "main", "problem"]


class _UsageProblem(InputError):
    """A value typed on the command line is unusable (exit code 2)."""


#: Where ``--json`` documents go instead of stdout while :func:`json_document` runs.
_CAPTURE: ContextVar[list | None] = ContextVar("nevcalc_json_capture", default=None)


def _opt(name: str, text, option: str | None = None):
    """Read option ``--option`` as parameter ``name`` of :mod:`nevcalc.params`, once.

    Parsed, dimension-checked and bounded; the SI value (None when not
    given). A bad value is a usage error (exit 2) naming the option, the
    range and an example.
    """
    if text is None:
        return None
    return parse(name, text, f"option --{option or name.replace('_', '-')}")


def _int_range(name: str) -> click.IntRange:
    """The click type of a whole-number option, bounded by :mod:`nevcalc.params`."""
    p = PARAMETERS[name]
    return click.IntRange(int(p.lo), int(p.hi))


def _h(name: str, text: str) -> str:
    """An option's help with its range from :mod:`nevcalc.params`."""
    return f"{text} [{bounds_text(PARAMETERS[name])}]"


def _soc(value: str, option: str) -> str:
    """SoC options: checked by the shares convention of :mod:`nevcalc.params` (text
    without a unit is a percentage, ``--from 10`` is 10 %); the text is passed on."""
    _opt("soc_to" if option == "--to" else "soc_from", value, option.lstrip("-"))
    return value


def _emit_json(doc) -> None:
    """Print ``doc`` as strict JSON in one write; inf or NaN anywhere is refused, not printed.

    Under :func:`json_document` the strict text is kept instead of printed."""
    text = json_text(doc)
    sink = _CAPTURE.get()
    if sink is not None:
        sink.append(text)
    else:
        click.echo(text)


def json_document(argv: list[str]) -> str:
    """The JSON text ``nevcalc ARGV --json`` prints, computed in this process, printing nothing.

    The one path from option texts to a JSON answer, shared by the command line and
    :mod:`nevcalc.web`: the same parsing, defaults, bounds and checks. ``argv`` must
    not ask for anything but JSON (no ``--plot``, ``--csv``, ``-o``): the caller
    chooses the options.

    Raises
    ------
    click.ClickException, NevcalcError
        As the command would; :func:`problem` turns them into its exit code and line.
    """
    sink: list[str] = []
    token = _CAPTURE.set(sink)
    try:
        cli.main(args=[*argv, "--json"], prog_name="nevcalc", standalone_mode=False)
    except SystemExit as exc:  # `specs list` exits 1 after its document on a bad spec file
        if exc.code:
            raise NevcalcError("the spec library has a file with problems") from None
    finally:
        _CAPTURE.reset(token)
    if not sink:
        raise NevcalcError("the command printed no JSON document")
    return sink[-1]


def _one_format(as_json: bool, as_csv: bool) -> None:
    if as_json and as_csv:
        raise _UsageProblem("--json and --csv: choose one")


def _emit_csv(columns, rows) -> None:
    """Print a table as CSV in one write (every column, units in the header)."""
    from nevcalc.tables import write_csv

    buf = io.StringIO()
    write_csv(columns, rows, buf)
    click.echo(buf.getvalue(), nl=False)


def _show(name: str, ans, as_json: bool) -> None:
    """``report.<name>_document`` as JSON, or ``report.render_<name>`` for people."""
    if as_json:
        _emit_json(getattr(report, f"{name}_document")(ans))
    else:
        getattr(report, f"render_{name}")(ans)


def _load_vehicle(name: str):
    try:
        return load_vehicle(name)
    except SpecNotFound as exc:
        raise _UsageProblem(exc.problems[0]) from None


def _load_charger(name: str | None):
    """The charger named ``name`` (``none``: no charger limit); None when not given."""
    if name is None:
        return None
    try:
        return load_charger(name)
    except SpecNotFound as exc:
        raise _UsageProblem(exc.problems[0]) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nevcalc")
def cli():
    """What EV batteries and chargers mean for a car, with units checked.

    \b
    nevcalc compare                          shipped vehicles side by side
    nevcalc charge byd-han-l --charger byd-megawatt --minutes 5
    nevcalc charge --battery 77.4kWh --chemistry nmc811 --peak-power 240kW --voltage 800V
    nevcalc trip kia-ev6-77 --route winter-motorway-1000
    nevcalc specs list vehicle

    Quantities are a number and a unit ('77 kWh', '16 kWh/100km', '35 degC');
    a number alone is in the option's unit. Shares (SoC, rates, residual
    value) are percent: --from 10 is 10 %, and 0.1 is refused as ambiguous
    (write 10%, or 0.1 % for a tenth of a percent). Every option is bounded:
    its range is in the command's --help.
    """


#: Markets every command with --market takes (each model maps them to what it knows).
_MARKETS = ("cn", "eu", "jp", "uk", "us", "other")

_ADHOC = [
    click.option("--battery", help=_h("battery", "Ad-hoc vehicle: usable energy, e.g. 77.4kWh.")),
    click.option("--chemistry", help="Ad-hoc vehicle: chemistry spec name, e.g. nmc811."),
    click.option(
        "--peak-power", help=_h("peak_power", "Ad-hoc vehicle: peak DC power, e.g. 240kW.")
    ),
    click.option("--voltage", help=_h("voltage", "Ad-hoc vehicle: voltage class, e.g. 800V.")),
    click.option("--consumption", help=_h("consumption", "At the battery, e.g. '16 kWh/100km'.")),
    click.option(
        "--max-current", help=_h("max_current", "Ad-hoc vehicle: inlet limit, e.g. 500A.")
    ),
    click.option(
        "--booster",
        help=_h("booster_power", "Ad-hoc vehicle: DC booster for 400 V chargers, e.g. 50kW."),
    ),
    click.option(
        "--market",
        type=click.Choice(_MARKETS, case_sensitive=False),
        help="Ad-hoc vehicle: market, for what the datasheet leaves out (the estimates "
        "tell China from the rest; other: no market assumed).",
    ),
    click.option(
        "--year",
        type=click.IntRange(2010, 2035),
        help="Ad-hoc vehicle: model year, for estimates and the cell generation [2010-2035].",
    ),
    click.option(
        "--body",
        type=click.Choice(BODIES, case_sensitive=False),
        help="Ad-hoc vehicle: body class (the BMS taper of pickups and SUVs).",
    ),
    click.option(
        "--gross",
        is_flag=True,
        default=None,
        help="Ad-hoc vehicle: --battery is the gross (installed) energy; usable is estimated.",
    ),
]


def _adhoc_options(f):
    for opt in reversed(_ADHOC):
        f = opt(f)
    return f


def _thermal_options(f):
    """``--ambient`` and ``--precondition``: a charge at an air temperature."""
    f = click.option(
        "--precondition",
        default="none",
        show_default=True,
        help=_h(
            "precondition_time",
            "Battery preconditioning before arrival (with "
            "--ambient): none, on-arrival (heated for the car's lead time before arrival, "
            "30 min unless its spec says, as far as its heater gets it) or a time, e.g. 20min.",
        ),
    )(f)
    return click.option(
        "--ambient",
        help=_h("ambient", "Air temperature; the pack arrives at it unless preconditioned: "
                "-10degC, 14degF; -10 is -10 degC (default: a pack at 25 degC)."),
    )(f)  # fmt: skip


_HEAT_PUMP_HELP = (
    "With an ambient: the car has a heat pump, for its cabin and its pack "
    "(default: the vehicle spec's heat_pump, none when it gives none)."
)


def _heat_pump_option(f):
    """``--heat-pump/--no-heat-pump``."""
    return click.option("--heat-pump/--no-heat-pump", default=None, help=_HEAT_PUMP_HELP)(f)


def _cabin_options(f):
    """``--cabin`` and ``--heat-pump``: the cabin climate of a drive in cold or hot air."""
    f = _heat_pump_option(f)
    return click.option(
        "--cabin", help=_h("cabin", "With an ambient: cabin set point (default 21 degC).")
    )(f)


def _thermal_args(ambient, precondition):
    """SI ambient (None when not given) and the preconditioning mode or time [s]."""
    t = _opt("ambient", ambient)
    try:
        mode = parse_precondition(precondition)
    except ValueError as exc:
        raise _UsageProblem(f"option {exc}") from None
    if t is None and mode != "none":
        raise _UsageProblem("option --precondition: needs --ambient (the air the pack is in)")
    return t, mode


def _window_options(f):
    """``--from`` and ``--to``: the SoC window of a charge (text is percent: 10 is 10 %)."""
    f = click.option("--to", "soc_to", default="80%", show_default=True,
                     help=_h("soc_to", "Target SoC; 80 is 80 %."))(f)  # fmt: skip
    return click.option("--from", "soc_from", default="10%", show_default=True,
                        help=_h("soc_from", "Start SoC; 10 is 10 %."))(f)  # fmt: skip


@cli.command()
@click.argument("vehicle", required=False)
@click.option("--charger", "charger_name", help="Charger spec name or file; none: no limit.")
@click.option(
    "--charger-power",
    help=_h("charger_power", "The charger's highest output power, e.g. 350kW (in place of "
            "--charger's; without --charger, a DC charger of the limits given)."),
)  # fmt: skip
@click.option(
    "--charger-current",
    help=_h("charger_current", "The charger's highest output current (DC), e.g. 500A."),
)
@click.option(
    "--charger-voltage",
    help=_h(
        "charger_voltage",
        "The charger's highest output voltage (DC), above its lowest (150 V unless the "
        "charger spec gives another), e.g. 920V.",
    ),
)
@_window_options
@click.option(
    "--minutes", help=_h("minutes", "Also the km added in this time, e.g. 5 or '5 min'.")
)
@click.option(
    "--add", "add", help=_h("add_distance", "Also the time to add this distance, e.g. '400 km'.")
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.option("--no-chart", is_flag=True, help="Leave out the power-vs-SoC chart.")
@click.option("--plot", "plot_path", help="Also draw the charge curve to FILE.png|svg|pdf.")
@_thermal_options
@click.option(
    "--cabin",
    help=_h("cabin", "With an ambient: someone waits in the car with the cabin held at this "
            "set point, e.g. 21degC; the charger supplies it (default: cabin off)."),
)  # fmt: skip
@_heat_pump_option
@_adhoc_options
def charge(
    vehicle,
    charger_name,
    charger_power,
    charger_current,
    charger_voltage,
    soc_from,
    soc_to,
    minutes,
    add,
    as_json,
    no_chart,
    plot_path,
    ambient,
    precondition,
    cabin,
    heat_pump,
    **adhoc,
):
    """Time, energy and binding limits of one charge of VEHICLE.

    VEHICLE is a spec name (see `nevcalc specs list vehicle`) or a .toml
    file; or leave it out and describe the car with --battery, --chemistry,
    --peak-power and --voltage.
    """
    _check_plot(plot_path)
    _soc(soc_from, "--from"), _soc(soc_to, "--to")
    _opt("minutes", minutes), _opt("add_distance", add, "add")
    amb, pre = _thermal_args(ambient, precondition)
    _check_cabin(amb, cabin, heat_pump)
    set_point = _opt("cabin", cabin)
    limits = [_opt(f"charger_{k}", t) for k, t in (("power", charger_power),
              ("current", charger_current), ("voltage", charger_voltage))]  # fmt: skip
    v = with_heat_pump(_vehicle_from_args(vehicle, adhoc), heat_pump)
    c = _load_charger(charger_name)
    if any(x is not None for x in limits):
        try:
            c = charger_with_limits(c, *limits)
        except ChargerLimitError as exc:  # a voltage too low; a current or voltage for AC
            names = [f"--charger-{k}" for k in exc.parameters]
            which = f"options {' and '.join(names)}" if len(names) > 1 else f"option {names[0]}"
            raise _UsageProblem(f"{which}: {exc}") from None
    ans = run_charge(v, c, soc_from, soc_to, minutes=minutes, add_distance=add, ambient=amb,
                     precondition=pre, cabin=set_point)  # fmt: skip
    if as_json:
        _emit_json(report.charge_document(ans))
    else:
        report.render_charge(ans, chart=not no_chart)
    _plot(plot_path, "charge_figure", ans, as_json)


def _check_path_text(option: str, path) -> None:
    """A path typed for ``option``: refused when blank, holding a NUL byte or too long."""
    if path is None:
        return
    if not path.strip():
        raise _UsageProblem(f"option {option}: empty; give a file path")
    if "\x00" in path:
        raise _UsageProblem(f"option {option}: the path holds a NUL byte; give a file path")
    if len(path) > 4096 or any(len(part) > 255 for part in path.split("/")):
        raise _UsageProblem(
            f"option {option}: {_shown(path)} is longer than a path can be; give a file path"
        )


def _check_plot(path) -> None:
    """A figure path is checked before any work (suffix, folder, matplotlib installed)."""
    if path is not None:
        from nevcalc.plot import check_path

        check_path(path)


def _plot(path, figure: str, ans, quiet: bool) -> None:
    if path is None:
        return
    from nevcalc import plot

    saved = plot.save(getattr(plot, figure)(ans), path)
    if not quiet:
        click.echo(f"figure written to {saved}")


def _vehicle_from_args(vehicle, adhoc):
    given = {k: v for k, v in adhoc.items() if v is not None}
    if vehicle is not None:
        extra = sorted(set(given) - {"consumption"})
        if extra:
            names = ", ".join("--" + k.replace("_", "-") for k in extra)
            raise _UsageProblem(
                f"{names} describe an ad-hoc vehicle; give either VEHICLE or those options"
            )
        v = _load_vehicle(vehicle)
        if "consumption" in given:
            v = given_consumption(v, _opt("consumption", given["consumption"]))
        return v
    if "battery" not in given:
        raise _UsageProblem(
            "name a VEHICLE (`nevcalc specs list vehicle`) or describe one with --battery "
            "(and what else the datasheet gives: --peak-power, --voltage, --chemistry, "
            "--market, --year)"
        )
    for key, text in given.items():
        if key not in ("chemistry", "market", "year", "body", "gross"):
            _opt({"booster": "booster_power"}.get(key, key), text, key.replace("_", "-"))
    market = given.get("market")
    try:
        return adhoc_vehicle(
            given["battery"],
            given.get("chemistry"),
            given.get("peak_power"),
            given.get("voltage"),
            consumption=given.get("consumption"),
            max_current=given.get("max_current"),
            booster_power=given.get("booster"),
            market=None if market is None or market.lower() == "other" else market.upper(),
            year=given.get("year"),
            body=None if "body" not in given else given["body"].lower(),
            gross=bool(given.get("gross")),
        )
    except SpecNotFound as exc:
        raise _UsageProblem(f"option --chemistry: {exc.problems[0]}") from None


@cli.command()
@click.argument("vehicles", nargs=-1)
@click.option(
    "--charger",
    "charger_names",
    multiple=True,
    help="Charger for every vehicle; repeat it to compare chargers (a row per vehicle and "
    "charger); none: no limit.",
)
@_window_options
@click.option(
    "--minutes", default="10", show_default=True, help=_h("minutes", "Minutes for the km column.")
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--csv", "as_csv", is_flag=True, help="Print every column as CSV, units in the header."
)
@click.option("--trip", "trip_route", help="Rank the vehicles by the time of this trip "
              "instead: a route spec name or file, e.g. motorway-1000.")  # fmt: skip
@_thermal_options
@_cabin_options
def compare(vehicles, charger_names, soc_from, soc_to, minutes, as_json, as_csv, trip_route,
            ambient, precondition, cabin, heat_pump):  # fmt: skip
    """Charge several vehicles side by side (a shipped set when none is named).

    With --charger given more than once, each vehicle charges on each charger.
    With --trip, rank them by the total time of a trip, charging stops included.
    """
    from nevcalc.scenario.compare import compare as run_compare

    _one_format(as_json, as_csv)
    if trip_route is not None:
        source = click.get_current_context().get_parameter_source("precondition")
        if source == click.core.ParameterSource.DEFAULT:  # as `nevcalc trip`: navigation warms
            precondition = "on-arrival"
        _compare_trips(vehicles, trip_route, charger_names, as_json, as_csv, ambient,
                       precondition, cabin, heat_pump)  # fmt: skip
        return
    _opt("minutes", minutes), _soc(soc_from, "--from"), _soc(soc_to, "--to")
    amb, pre = _thermal_args(ambient, precondition)
    _check_cabin(amb, cabin, heat_pump)
    chargers = {n: _load_charger(n) for n in dict.fromkeys(charger_names)} or {None: None}
    try:
        ans = run_compare(vehicles, chargers, soc_from, soc_to, minutes, ambient=amb,
                          precondition=pre, cabin=_opt("cabin", cabin),
                          heat_pump=heat_pump)  # fmt: skip
    except SpecNotFound as exc:  # a name that is not a spec is a usage error
        raise _UsageProblem(exc.problems[0]) from None

    if as_json:
        _emit_json(report.compare_document(ans.rows, ans.ranges, ans.healths, ans.costs,
                                           ans.km_in_20_min))  # fmt: skip
    elif as_csv:
        _emit_csv(*report.compare_csv_table(ans.rows, ans.ranges, ans.healths, ans.costs,
                                            ans.km_in_20_min))  # fmt: skip
    else:
        report.render_compare_answer(ans)


def _compare_trips(vehicles, route_name, charger_names, as_json, as_csv, ambient, precondition,
                   cabin, heat_pump):  # fmt: skip
    """``compare --trip``: the vehicles ranked by the time of a trip."""
    from nevcalc.routes import adhoc_route, load_route
    from nevcalc.scenario.compare import compare_trips

    if charger_names:
        raise _UsageProblem("--charger with --trip: the route names its chargers "
                            "(`nevcalc trip --chargers` changes them)")  # fmt: skip
    try:
        route = adhoc_route(load_route(route_name), ambient=ambient, cabin=cabin,
                            heat_pump=heat_pump, prefix="option --")  # fmt: skip
    except SpecNotFound as exc:
        raise _UsageProblem(f"option --trip: {exc.problems[0]}") from None
    except InputError as exc:
        raise _UsageProblem(str(exc)) from None
    _check_cabin(route.ambient, cabin, heat_pump)
    try:
        mode = parse_precondition(precondition)
    except ValueError as exc:
        raise _UsageProblem(f"option {exc}") from None
    try:
        rows = compare_trips(vehicles, route, precondition=mode)
    except SpecNotFound as exc:
        raise _UsageProblem(exc.problems[0]) from None
    if as_json:
        _emit_json(report.trip_table_document(rows))
    elif as_csv:
        _emit_csv(*report.trip_csv_table(rows))
    else:
        report.render_trip_table(rows)


@cli.command("range")
@click.argument("vehicle", required=False)
@click.option(
    "--cycle",
    default="official",
    show_default=True,
    help="wltc|cltc|nedc|epa|epa-5cycle|udds|hwfet|us06|ftp75|cadc, a CSV path, or official "
    "(the vehicle's own, or its --market's label).",
)
@click.option("--chemistry", help="Resize the pack to cells of this chemistry (or ad-hoc cells).")
@click.option(
    "--keep",
    type=click.Choice(["energy", "mass", "range"], case_sensitive=False),
    help="With --chemistry: keep pack energy, pack mass, or the range.",
)
@click.option(
    "--target-range", help=_h("target_range", "With --keep range: the range to reach, e.g. 600km.")
)
@click.option(
    "--battery", help=_h("battery", "Ad-hoc vehicle: usable battery energy, e.g. 77.4kWh.")
)
@click.option(
    "--gross",
    is_flag=True,
    help="Ad-hoc vehicle: --battery is the gross (installed) energy; usable is estimated.",
)
@click.option(
    "--body",
    type=click.Choice(BODIES, case_sensitive=False),
    help="Ad-hoc vehicle: body class (estimates Cd, frontal area and mass).",
)
@click.option(
    "--drive",
    type=click.Choice(["fwd", "rwd", "awd"], case_sensitive=False),
    help="Ad-hoc vehicle: driven wheels (all-wheel drive adds its calibrated losses).",
)
@click.option("--length", help=_h("length", "Ad-hoc vehicle: length, e.g. 4700mm."))
@click.option("--width", help=_h("width", "Ad-hoc vehicle: width without mirrors, e.g. 1890mm."))
@click.option("--height", help=_h("height", "Ad-hoc vehicle: height, e.g. 1600mm."))
@click.option("--mass", help=_h("mass", "Ad-hoc vehicle: curb mass, e.g. 1950kg."))
@click.option("--cd", help=_h("cd", "Ad-hoc vehicle: drag coefficient, e.g. 0.21."))
@click.option(
    "--frontal-area", help=_h("frontal_area", "Ad-hoc vehicle: frontal area, e.g. 2.3m^2.")
)
@click.option("--motor-power", help=_h("motor_power", "Ad-hoc vehicle: motor power, e.g. 250kW."))
@click.option(
    "--market",
    type=click.Choice(_MARKETS, case_sensitive=False),
    help="Ad-hoc vehicle: market; its label cycle is the official one (cn: CLTC, us: EPA, "
    "eu/uk/jp: WLTP; other: none, WLTP assumed).",
)
@click.option(
    "--year", type=_int_range("model_year"), help="Ad-hoc vehicle: model year, e.g. 2024."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--csv", "as_csv", is_flag=True, help="Print CSV (a row per car), units in the header."
)
@click.option(
    "--ambient",
    help=_h("ambient", "Drive in this air with the cabin climate on (air density, tyres, "
            "heating or cooling); -10 is -10 degC. Default: the test's own conditions."),
)  # fmt: skip
@_cabin_options
@click.option(
    "--precondition",
    default="none",
    show_default=True,
    help=_h("precondition_time", "With --ambient: the pack warmed from the grid before "
            "departure: none (soaked at the air), on-departure (to its window) or for a "
            "time, e.g. 20min."),
)  # fmt: skip
def range_(vehicle, cycle, chemistry, keep, target_range, battery, gross, body, drive, length,
           width, height, mass, cd, frontal_area, motor_power, market, year, as_json,
           as_csv, ambient, cabin, heat_pump, precondition):  # fmt: skip
    """Range and consumption of VEHICLE on a drive cycle or test procedure.

    Without VEHICLE, a car from its brochure: --battery and whatever else the
    datasheet gives; curb mass, Cd, frontal area and motor power it leaves out
    are estimated from relations fitted on published cars, listed under the
    assumptions with their spread, and the range carries an 80 % interval.

    With --chemistry and --keep, the same car with a pack of other cells,
    before and after side by side (the pack's mass is fed back into
    consumption).
    """
    _one_format(as_json, as_csv)
    described = {"--gross": gross or None, "--body": body, "--drive": drive, "--length": length,
                 "--width": width,
                 "--height": height, "--mass": mass, "--cd": cd, "--frontal-area": frontal_area,
                 "--motor-power": motor_power, "--market": market, "--year": year}  # fmt: skip
    if vehicle is None:
        if battery is None:
            given = [k for k, v in described.items() if v is not None]
            raise _UsageProblem(
                (f"{', '.join(given)} without --battery: " if given else "")
                + "name a VEHICLE or give --battery (and --body, --length/--width/--height, "
                "--mass, --cd ... as the brochure gives them), e.g. --battery 77kWh --body suv"
            )
        v = _brochure_vehicle(battery, gross, body, drive, length, width, height, mass, cd,
                              frontal_area, motor_power, market, year)  # fmt: skip
    else:
        extra = [k for k, v in {"--battery": battery, **described}.items() if v is not None]
        if extra:
            raise _UsageProblem(f"{', '.join(extra)} describe an ad-hoc vehicle; not with VEHICLE")
        try:
            v = load_road_vehicle(vehicle)
        except SpecNotFound as exc:
            raise _UsageProblem(exc.problems[0]) from None
    if (chemistry is None) != (keep is None):
        raise _UsageProblem(
            "--chemistry and --keep go together, e.g. --chemistry solid-state --keep mass"
        )
    if target_range is not None and keep != "range":
        raise _UsageProblem("--target-range needs --keep range")
    _opt("target_range", target_range)
    climate = _driving_climate(ambient, cabin, heat_pump)
    try:
        departure = parse_departure(precondition)
    except ValueError as exc:
        text = str(exc)
        raise _UsageProblem(f"option {text}" if text.startswith("--precondition") else
                            f"option --precondition: {text}") from None  # fmt: skip
    if departure != "none":
        if climate is None:
            raise _UsageProblem("option --precondition: needs --ambient (the air the pack "
                                "is warmed in)")  # fmt: skip
        climate = replace(climate, precondition=departure)
    try:
        before = drive_range(v, None if cycle == "official" else cycle, climate=climate)
    except SpecNotFound as exc:
        raise _UsageProblem(f"option --cycle: {exc.problems[0]}") from None
    after = None
    if chemistry is not None:
        try:
            chem = catalog.load(chemistry, "chemistry")
        except SpecNotFound as exc:
            raise _UsageProblem(f"option --chemistry: {exc.problems[0]}") from None
        resized = resize_pack(v, chem, keep, before.procedure, target_range)
        after = drive_range(resized, before.procedure, climate=climate)
    if as_json:
        _emit_json(report.range_document(before, after))
    elif as_csv:
        _emit_csv(*report.range_csv_table(before, after))
    else:
        report.render_range(before, after)


def _check_cabin(ambient, cabin, heat_pump) -> None:
    """``--cabin`` and ``--heat-pump`` act only in cold or hot air: refuse them without it."""
    if ambient is None and (cabin is not None or heat_pump is not None):
        raise _UsageProblem("options --cabin and --heat-pump: need an ambient (--ambient, "
                            "or a route with one)")  # fmt: skip


def _driving_climate(ambient, cabin, heat_pump):
    """``--ambient``, ``--cabin``, ``--heat-pump``: the climate of a drive, or None."""
    t = _opt("ambient", ambient)
    _check_cabin(t, cabin, heat_pump)
    if t is None:
        return None
    c = _opt("cabin", cabin)
    return DrivingClimate(t, CABIN_SET_POINT if c is None else c, heat_pump)


def _brochure_vehicle(battery, gross, body, drive, length, width, height, mass, cd,
                      frontal_area, motor_power, market, year, chemistry="nmc811"):  # fmt: skip
    """``nevcalc range`` without VEHICLE: a road vehicle from brochure options, each read once."""
    b = Brochure(
        battery=_opt("battery", battery),
        battery_basis="gross" if gross else "usable",
        body=None if body is None else body.lower(),
        drive=None if drive is None else drive.lower(),
        length=_opt("length", length),
        width=_opt("width", width),
        height=_opt("height", height),
        year=year,
        market=None if market is None or market.lower() == "other" else market.lower(),
        curb_mass=_opt("mass", mass),
        drag_coefficient=_opt("cd", cd),
        frontal_area=_opt("frontal_area", frontal_area),
        motor_power=_opt("motor_power", motor_power),
    )
    official = None if market is None else MARKET_PROCEDURES.get(market.lower())
    return brochure_road_vehicle(b, chemistry, official_cycle=official)


@cli.command()
@click.argument("chemistry")
@click.option(
    "--soc-window",
    default="30%..80%",
    show_default=True,
    help=_h("soc_low", "Daily SoC sweep low..high; 30..80 is 30 %..80 %."),
)
@click.option(
    "--efc-per-day",
    help=_h(
        "efc_per_day",
        "Equivalent full cycles a day; above one sweep of the window a "
        "taxi's several sweeps a day (default: one sweep a day).",
    ),
)
@click.option("--km-per-year", help=_h("km_per_year", "Distance a year (instead of cycles)."))
@click.option("--km-per-day", help=_h("km_per_day", "Distance a day (instead of cycles)."))
@click.option("--pack", help=_h("pack_energy", "Usable pack energy for km (default 70 kWh)."))
@click.option(
    "--consumption",
    help=_h("consumption", "Consumption at the battery for km (default 17 kWh/100km)."),
)
@click.option(
    "--charge-rate",
    default="0.25/h",
    show_default=True,
    help=_h("charge_rate", "C-rate of the everyday (AC) charges, 0.25/h or 1C."),
)
@click.option("--dc-share", help=_h("dc_share", "Share of the energy charged at DC, e.g. 30%."))
@click.option(
    "--dc-rate", default="1C", show_default=True, help=_h("dc_rate", "C-rate of DC charges.")
)
@click.option(
    "--temperature",
    help=_h(
        "temperature",
        "Cell temperature all year: 25degC, '25 °C', 298K, 77degF; 25 is "
        "25 degC (default 25 degC).",
    ),
)
@click.option("--climate", help="Climate spec (monthly temperatures), e.g. oslo, shanghai.")
@click.option(
    "--temperature-rise",
    help=_h("temperature_rise", "Cells above the climate's mean air, e.g. 5 K (default 0)."),
)
@click.option(
    "--fleet-correction/--lab-cells",
    default=None,
    help="Correct the lab-cell model to cars in fleets (default) or not.",
)
@click.option("--at", "at_distance", help=_h("at_distance", "Capacity at this distance."))
@click.option(
    "--years",
    default=10,
    show_default=True,
    type=_int_range("health.years"),
    help="Years of capacity to report.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--plot", "plot_path", help="Also draw capacity over the years to FILE.png|svg|pdf.")
def health(chemistry, soc_window, efc_per_day, km_per_year, km_per_day, pack, consumption,
           charge_rate, dc_share, dc_rate, temperature, climate, temperature_rise,
           fleet_correction, at_distance, years, as_json, plot_path):  # fmt: skip
    """Capacity of CHEMISTRY's cells over the years of a car's duty."""
    from nevcalc.scenario.health import health as run_health

    _check_plot(plot_path)
    try:
        chem = catalog.load(chemistry, "chemistry")
    except SpecNotFound as exc:
        raise _UsageProblem(exc.problems[0]) from None
    lo, hi = parse_window(soc_window, "option --soc-window")
    given = [n for n, v in (("--efc-per-day", efc_per_day), ("--km-per-year", km_per_year),
                            ("--km-per-day", km_per_day)) if v is not None]  # fmt: skip
    if len(given) > 1:
        raise _UsageProblem(f"options {' and '.join(given)}: give one of them")
    if temperature is not None and climate is not None:
        raise _UsageProblem("options --temperature and --climate: give one of them")
    if temperature_rise is not None and climate is None:
        raise _UsageProblem("option --temperature-rise: needs --climate (the air it rises over)")
    efc = _opt("efc_per_day", efc_per_day)
    km = _opt("km_per_year", km_per_year)
    if km_per_day is not None:
        km = _opt("km_per_day", km_per_day) * 365.0
    rate = from_si(_opt("charge_rate", charge_rate), "1/h")
    temp = _opt("temperature", "25degC" if temperature is None else temperature)
    share = _opt("dc_share", dc_share) if dc_share is not None else 0.0
    try:
        ans = run_health(
            chem, (lo, hi), efc_per_day=efc, charge_rate=rate, temperature=temp, years=years,
            fast_share=share, fast_rate=from_si(_opt("dc_rate", dc_rate), "1/h"),
            climate=climate,
            temperature_rise=0.0 if temperature_rise is None else _opt("temperature_rise",
                                                                        temperature_rise),
            km_per_year=km, pack_energy=_opt("pack_energy", pack, "pack"),
            consumption=_opt("consumption", consumption),
            at_distance=_opt("at_distance", at_distance, "at"),
            fleet_correction=fleet_correction,
        )  # fmt: skip
    except SpecNotFound as exc:
        raise _UsageProblem(exc.problems[0]) from None
    _show("health", ans, as_json)
    _plot(plot_path, "health_figure", ans, as_json)


@cli.command()
@click.argument("vehicle")
@click.option("--charger", "charger_name", help="Fast charger used for the fast-charging share.")
@click.option(
    "--years",
    default=10,
    show_default=True,
    type=_int_range("cost.years"),
    help="Years of ownership.",
)
@click.option("--usage", help="Usage spec: distance, charging mix, SoC window, prices.")
@click.option(
    "--km-per-year",
    help=_h("km_per_year", "Distance a year (default: the usage's, else 15000 km)."),
)
@click.option(
    "--vehicle-price",
    help=_h("vehicle_price", "Price with battery, e.g. '45000 EUR' (spec price by default)."),
)
@click.option(
    "--electricity", help=_h("electricity", "Home electricity price, e.g. '0.6 CNY/kWh'.")
)
@click.option("--fast-price", help=_h("fast_price", "Fast-charging price, e.g. '1.5 CNY/kWh'."))
@click.option(
    "--fast-share", help=_h("fast_share", "Share of the energy from fast chargers, e.g. 20%.")
)
@click.option("--discount-rate", help=_h("discount_rate", "Real discount rate, e.g. 5%."))
@click.option(
    "--maintenance", help=_h("maintenance", "Maintenance per distance, e.g. '0.03 USD/km'.")
)
@click.option(
    "--value-of-time", help=_h("value_of_time", "Value of time at fast chargers, e.g. '15 EUR/h'.")
)
@click.option("--residual", help=_h("residual", "Value at the end over the price, e.g. 30%."))
@click.option(
    "--replace-below",
    help=_h("replace_below", "Replace the battery below this capacity, e.g. 70%."),
)
@click.option("--currency", default="USD", show_default=True, help="USD, EUR or CNY.")
@click.option(
    "--climate",
    help="Climate spec the battery ages in and the energy is priced in, month by month, "
    "e.g. oslo (default: usage's).",
)
@click.option(
    "--ambient",
    help=_h("ambient", "One air all year instead of a climate, e.g. -5degC: the pack ages "
            "and the energy is priced in it."),
)  # fmt: skip
@_cabin_options
@click.option(
    "--fleet-correction/--lab-cells",
    default=None,
    help="Correct the lab-cell ageing model to cars in fleets (default: usage's, else on).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def cost(
    vehicle,
    charger_name,
    usage,
    years,
    km_per_year,
    vehicle_price,
    currency,
    as_json,
    climate,
    ambient,
    cabin,
    heat_pump,
    fleet_correction,
    **options,
):
    """Lifecycle cost of VEHICLE by part, in present value."""
    from nevcalc.scenario.cost import lifecycle

    try:
        rate = exchange_rate(currency)
    except UnitInputError as exc:
        raise _UsageProblem(f"option --currency: {exc}") from None
    given = {k: v for k, v in options.items() if v is not None}
    for key, text in {**given, "km_per_year": km_per_year, "vehicle_price": vehicle_price}.items():
        _opt(key, text)
    _load_charger(charger_name)  # an empty or unknown name is refused, as by charge
    air = _opt("ambient", ambient)
    if air is not None and climate is not None:
        raise _UsageProblem("options --ambient and --climate: give one (one air all year, or "
                            "a climate's months)")  # fmt: skip
    if air is None and climate is None and usage is None and (cabin or heat_pump is not None):
        raise _UsageProblem("options --cabin and --heat-pump: need --climate or --ambient "
                            "(the air the energy is priced in)")  # fmt: skip
    try:
        ans = lifecycle(vehicle, charger_name, years=years, usage=usage, km_per_year=km_per_year,
                        vehicle_price=vehicle_price, climate=climate,
                        fleet_correction=fleet_correction, ambient=air,
                        cabin=_opt("cabin", cabin), heat_pump=heat_pump, **given)  # fmt: skip
    except SpecNotFound as exc:
        raise _UsageProblem(exc.problems[0]) from None

    if as_json:
        _emit_json(report.cost_document(ans, currency.upper(), rate))
    else:
        report.render_cost(ans, currency.upper(), rate)


def _price_currency(price) -> str:
    """The currency a price is written in (``0.69 EUR/kWh`` -> EUR); USD otherwise."""
    if price is None:
        return "USD"
    words = re.findall(r"[A-Za-z]+", str(price))
    return next((w.upper() for w in words if w.upper() in ("EUR", "CNY", "USD")), "USD")


@cli.command()
@click.argument("vehicle", required=False)
@click.option("--route", "route_name", help="Route spec name or file (default motorway-1000; "
              "`nevcalc specs list route`).")  # fmt: skip
@click.option("--distance", help=_h("trip_distance", "Trip length, e.g. 1000km."))
@click.option("--speed", help=_h("speed", "Mean speed on the road, e.g. 120km/h."))
@click.option(
    "--chargers",
    help="Evenly spaced stations: 'CHARGER every DISTANCE', e.g. 'ionity-350 every 60km'.",
)
@click.option(
    "--stations", help="Stations at their km: 'DISTANCE CHARGER; ...', e.g. '55km tesla-v3'."
)
@click.option("--start", "start_soc", help=_h("start_soc", "SoC at the start (default 100 %)."))
@click.option("--reserve", help=_h("reserve", "Lowest SoC on arrival anywhere (default 10 %)."))
@click.option(
    "--overhead",
    help=_h("stop_overhead", "Time a stop takes besides charging (default 4 min)."),
)
@click.option(
    "--ambient",
    help=_h("ambient", "Air along the route (default: the route's, else mild air): -10 is "
            "-10 degC."),
)  # fmt: skip
@click.option(
    "--precondition",
    default="on-arrival",
    show_default=True,
    help=_h("precondition_time", "With an ambient: the pack is warmed on the way to each "
            "charger (on-arrival), not (none), or for a time, e.g. 20min."),
)  # fmt: skip
@_cabin_options
@click.option("--price", help=_h("fast_price", "Price of the energy at the chargers, e.g. "
              "'0.69 EUR/kWh': the trip's cost in that currency."))  # fmt: skip
@click.option("--mass", help=_h("mass", "Ad-hoc vehicle: curb mass, e.g. 2100kg."))
@click.option("--cd", help=_h("cd", "Ad-hoc vehicle: drag coefficient, e.g. 0.28."))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.option("--plot", "plot_path", help="Also draw SoC and time against distance to "
              "FILE.png|svg|pdf.")  # fmt: skip
@_adhoc_options
def trip(vehicle, route_name, distance, speed, chargers, stations, start_soc, reserve, overhead,
         ambient, precondition, cabin, heat_pump, price, mass, cd, as_json, plot_path,
         **adhoc):  # fmt: skip
    """Least total time of a long trip with charging stops, for VEHICLE.

    The stops, and the SoC to charge to at each, are the optimum for total time
    (driving, charging and a fixed overhead a stop) on a 1 % SoC grid, arriving
    everywhere above the reserve. VEHICLE is a spec name or file; or leave it out
    and describe the car with --battery and what else its brochure gives.
    """
    from nevcalc.routes import adhoc_route, load_route
    from nevcalc.scenario.trip import trip as run_trip

    _check_plot(plot_path)
    try:
        mode = parse_precondition(precondition)
    except ValueError as exc:
        raise _UsageProblem(f"option {exc}") from None
    v = _vehicle_from_args(vehicle, adhoc)
    if vehicle is not None:
        if mass is not None or cd is not None:
            raise _UsageProblem("--mass and --cd describe an ad-hoc vehicle; not with VEHICLE")
        road = None if adhoc.get("consumption") else load_road_vehicle(vehicle)
    elif adhoc.get("consumption"):
        road = None
    else:
        market = adhoc.get("market")
        # the road figures' pack of the same cells as the charging ones
        road = _brochure_vehicle(adhoc["battery"], adhoc.get("gross"), adhoc.get("body"), None,
                                 None, None, None, mass, cd, None, None, market,
                                 adhoc.get("year"), v.chemistry)  # fmt: skip
    try:
        base = load_route("motorway-1000" if route_name is None else route_name)
    except SpecNotFound as exc:
        raise _UsageProblem(f"option --route: {exc.problems[0]}") from None
    try:
        route = adhoc_route(base, distance=distance, speed=speed, chargers=chargers,
                            stations=stations, ambient=ambient, stop_overhead=overhead,
                            start_soc=start_soc, reserve=reserve, cabin=cabin,
                            heat_pump=heat_pump, prefix="option --")  # fmt: skip
    except SpecNotFound as exc:
        which = "--stations" if stations is not None else "--chargers"
        raise _UsageProblem(f"option {which}: {exc.problems[0]}") from None
    except InputError as exc:
        raise _UsageProblem(str(exc)) from None
    if route.ambient is None and mode != "none" and precondition != "on-arrival":
        raise _UsageProblem("option --precondition: needs an ambient (--ambient, or a route "
                            "with one)")  # fmt: skip
    _check_cabin(route.ambient, cabin, heat_pump)
    _opt("fast_price", price, "price")
    currency = _price_currency(price)
    ans = run_trip(v, road, route, precondition=mode, price=price)
    if as_json:
        _emit_json(report.trip_document(ans, currency, exchange_rate(currency)))
    else:
        report.render_trip(ans, currency=currency, usd_per_unit=exchange_rate(currency))
    _plot(plot_path, "trip_figure", ans, as_json)


@cli.command()
@click.option(
    "--until",
    default=2035,
    show_default=True,
    type=_int_range("until"),
    help="Last projected year.",
)
@click.option(
    "--growth",
    help=_h("growth", "Growth of annual battery volume, e.g. 37% (default: the file's)."),
)
@click.option("--data", "data_path", help="Market-history TOML (default: the shipped one).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the projected prices as CSV.")
@click.option("--plot", "plot_path", help="Also draw the experience curve to FILE.png|svg|pdf.")
def trend(until, growth, data_path, as_json, as_csv, plot_path):
    """Battery pack price trend: Wright's law learning rate, projections by volume and year."""
    from nevcalc.scenario.trend import trend as run_trend

    _one_format(as_json, as_csv)
    _check_plot(plot_path)
    _check_path_text("--data", data_path)
    g = _opt("growth", growth)
    ans = run_trend(until, g, data_path)
    if as_csv:
        _emit_csv(*report.trend_csv_table(ans))
    else:
        _show("trend", ans, as_json)
    _plot(plot_path, "trend_figure", ans, as_json or as_csv)


@cli.group()
def scenario():
    """Seed scenarios: industry claims put to the models."""


@scenario.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def scenario_list(as_json):
    """Scenarios visible from here (./specs/scenarios, $NEVCALC_SPECS, the bundled ones)."""
    from nevcalc.scenario.scenarios import list_scenarios

    items = list_scenarios()
    if as_json:
        _emit_json(report.scenario_list_document(items))
    else:
        report.render_scenario_list(items)


@scenario.command("run")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the cases as CSV, units in the header.")
def scenario_run(name, as_json, as_csv):
    """Evaluate scenario NAME: charge time, range, health and cost per case, claims checked."""
    from nevcalc.scenario.scenarios import run_scenario

    _one_format(as_json, as_csv)
    try:
        ans = run_scenario(name)
    except SpecNotFound as exc:
        raise _UsageProblem(exc.problems[0]) from None
    if as_csv:
        _emit_csv(*report.scenario_csv_table(ans))
    else:
        _show("scenario", ans, as_json)


@cli.command()
@click.argument("spec")
@click.option("-o", "--output", help="Stream the rows to OUT.parquet or OUT.csv.")
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"], case_sensitive=False),
    default="local",
    show_default=True,
)
@click.option("--scheduler", help="Dask scheduler address (default: a local 2-worker cluster).")
@click.option(
    "--workers",
    type=_int_range("workers"),
    help="Threads of the local engine (default: the cores), or Dask local workers (2).",
)
@click.option("--resume", is_flag=True, help="Continue an interrupted sweep into OUT.")
@click.option("--stream", is_flag=True, help="Allow sweeps above the in-memory row limit.")
@click.option("--summary", is_flag=True, help="Quantiles and best row per group, Pareto front.")
@click.option(
    "--chunk-rows",
    default=1 << 19,
    show_default=True,
    type=_int_range("chunk_rows"),
    help="Rows per chunk.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON run summary.")
def sweep(spec, output, engine, scheduler, workers, resume, stream, summary, chunk_rows, as_json):
    """Run the sweep SPEC (a file, or a name in specs/sweeps) over every metric."""
    from nevcalc.sweeps.engine import SweepInterrupted, run

    _check_path_text("-o", output)
    if resume and output is None:
        raise _UsageProblem("--resume needs -o OUT, the output of the interrupted sweep")
    if scheduler and engine != "dask":
        raise _UsageProblem("--scheduler goes with --engine dask")
    try:
        res = run(spec, output, engine=engine, scheduler=scheduler, workers=workers,
                  resume=resume, stream=stream, summary=summary, chunk_rows=chunk_rows,
                  quiet=as_json, notice=lambda line: click.echo(line, err=True))  # fmt: skip
    except SpecNotFound as exc:
        raise _UsageProblem(exc.problems[0]) from None
    except SweepInterrupted as exc:
        click.echo(f"nevcalc: {exc}", err=True)
        sys.exit(130)
    _show("sweep", res, as_json)


@cli.group()
def specs():
    """List, show and validate spec files."""


@specs.command("list")
@click.argument(
    "kind",
    required=False,
    type=click.Choice(list(KIND_DIRS), case_sensitive=False),
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def specs_list(kind, as_json):
    """Specs visible from here (./specs, $NEVCALC_SPECS, the bundled library)."""
    items, problems = catalog.list_titles(kind)
    if as_json:
        _emit_json(report.spec_list_document(items))
    else:
        report.render_spec_list(items)
    for line in problems:
        click.echo(f"nevcalc: error: {line}", err=True)
    if problems:
        sys.exit(1)


@specs.command("show")
@click.argument("name")
@click.option(
    "--json", "as_json", is_flag=True, help="Print JSON (a list: one name may be several kinds)."
)
def specs_show(name, as_json):
    """Every field of spec NAME with its unit, kind and source."""
    found = catalog.load_any(name)
    if not found:
        raise _UsageProblem(f"no spec named {_shown(name)}; `nevcalc specs list` shows them all")
    if as_json:
        _emit_json([report.spec_document(spec) for spec in found])
        return
    for spec in found:
        report.render_spec(spec)


@specs.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def specs_validate(paths):
    """Check spec files (or folders of them); one line per problem, exit 1 if any."""
    from nevcalc.validate import validate

    res = validate(paths)
    report.render_validation(res)
    if not res.ok:
        sys.exit(1)


@specs.command("fields")
@click.argument("kind", type=click.Choice(list(KIND_DIRS), case_sensitive=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def specs_fields(kind, as_json):
    """The schema: every field a KIND spec may have."""
    if as_json:
        _emit_json(report.fields_document(kind))
    else:
        report.render_fields(kind)


@cli.command()
@click.option(
    "--port", default=8765, show_default=True, type=click.IntRange(1, 65535), help="TCP port."
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 127.0.0.1 keeps the page to this machine (0.0.0.0: every "
    "network this machine is on).",
)
def serve(port, host):
    """A local web page of charge curves, trips, claims, range, ageing and trends.

    Needs the web extra (pip install 'nevcalc[web]') and no internet: every
    script and style is in the package. Open the address it prints in a
    browser; Ctrl-C stops it. The page reads the shipped specs by name only
    and answers with the same JSON as --json, under /api/.
    """
    if not host.strip() or any(c.isspace() or c in "/@#?" for c in host) or len(host) > 253:
        raise _UsageProblem(
            f"option --host: {_shown(host)} is not a host name or address; e.g. 127.0.0.1"
        )
    try:
        from nevcalc.web.app import serve as run_server
    except ImportError as exc:
        raise NevcalcError(
            f"nevcalc serve needs the web extra ({exc.name} is missing): "
            "pip install 'nevcalc[web]'"
        ) from None
    run_server(host, port, json_document, problem, notice=lambda line: click.echo(line, err=True))


def _one_line(text) -> str:
    return " ".join(str(text).split("\n")).strip()


def _error(text) -> None:
    click.echo(f"nevcalc: error: {_one_line(text)}", err=True)


class _StdoutRaw(io.FileIO):
    """stdout's file descriptor; an error writing it is marked as stdout's, then muted.

    After the first failed write the rest is dropped, so that Python's flush
    at exit does not fail a second time (exit code 120).
    """

    failed = False

    def write(self, b):
        if self.failed:
            return len(b)
        try:
            return super().write(b)
        except OSError as exc:
            self.failed = True
            exc.nevcalc_stdout = True
            raise


def _guard_stdout():
    """Route sys.stdout through :class:`_StdoutRaw`; return the original to restore, or None."""
    old = sys.stdout
    try:
        fd = old.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests capture it)
        return None
    raw = _StdoutRaw(fd, "w", closefd=False)
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(raw),
        encoding=old.encoding,
        errors=old.errors,
        line_buffering=old.line_buffering,
        write_through=False,
    )
    return old


def _stdout_error(exc: OSError) -> int:
    """Exit code for a failed write to stdout: quiet for a closed pipe, one line otherwise."""
    raw = getattr(getattr(sys.stdout, "buffer", None), "raw", None)
    if isinstance(raw, _StdoutRaw):
        raw.failed = True
    if exc.errno == errno.EPIPE:  # the reader left (`| head`): stop quietly
        return 1
    _error(
        f"cannot write to stdout: {exc.strerror or exc}; the output is incomplete (free "
        "space on the device stdout goes to, or send it elsewhere)"
    )
    return 1


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A Python warning as one line on stderr (not the file, line and source of the library)."""
    click.echo(
        f"nevcalc: warning: {category.__name__}: {_one_line(message)} (not expected: please "
        "report the command line)",
        err=True,
    )


def _command_path(argv) -> str:
    """``nevcalc`` and the subcommand words at the start of ``argv``."""
    words = ["nevcalc"]
    group = cli
    for arg in argv if argv is not None else sys.argv[1:]:
        sub = getattr(group, "commands", {}).get(arg)
        if sub is None:
            break
        words.append(arg)
        group = sub
    return " ".join(words)


def problem(exc: BaseException, argv=None) -> tuple[int, list[str]] | None:
    """Exit code and message lines of a failure a user can cause, as the command prints them.

    None for anything else (a bug, an OS error, an interrupt). Shared by :func:`main` and
    :mod:`nevcalc.web`, so that a bad request gets the line a bad command line gets.
    """
    no_args = getattr(click.exceptions, "NoArgsIsHelpError", ())
    if isinstance(exc, no_args) and exc.ctx is not None:
        # a group run without a subcommand: one line naming them, not the help on one line
        ctx = exc.ctx
        names = ", ".join(ctx.command.list_commands(ctx))
        return 2, [f"give a command, one of: {names} (`{ctx.command_path} --help` for usage)"]
    if isinstance(exc, click.exceptions.UsageError):
        # click leaves ctx unset for some parser errors (a flag given a value, an option
        # missing its value): then the command line names the command to ask for help
        path = exc.ctx.command_path if exc.ctx is not None else _command_path(argv)
        return 2, [_one_line(f"{exc.format_message()} (`{path} --help` for usage)")]
    if isinstance(exc, click.ClickException):
        return exc.exit_code, [_one_line(exc.format_message())]
    if isinstance(exc, InputError):  # _UsageProblem too
        return 2, [_one_line(exc)]
    if isinstance(exc, SpecError):
        return 1, [_one_line(line) for line in exc.problems]
    if isinstance(exc, NevcalcError):
        return 1, [_one_line(exc)]
    return None


def _run(argv) -> int:
    """Run the command; the exit code, every failure mapped to one line on stderr."""
    try:
        cli.main(args=argv, prog_name="nevcalc", standalone_mode=False)
        sys.stdout.flush()
        return 0
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):
            click.echo("nevcalc: interrupted", err=True)
            return 130
        _error("aborted: the input ended before an answer was given")
        return 1
    except KeyboardInterrupt:
        click.echo("\nnevcalc: interrupted", err=True)
        return 130
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except (click.ClickException, NevcalcError) as exc:
        code, lines = problem(exc, argv)
        for line in lines:
            _error(line)
        return code
    except OSError as exc:
        if getattr(exc, "nevcalc_stdout", False) or isinstance(exc, BrokenPipeError):
            return _stdout_error(exc)
        where = f"{exc.filename}: " if exc.filename else ""
        _error(f"{where}{exc.strerror or exc} (check the path, its permissions and free space)")
        return 1
    except UnicodeEncodeError as exc:
        enc = getattr(sys.stdout, "encoding", None) or exc.encoding
        char = f"U+{ord(exc.object[exc.start]):04X}"
        _error(
            f"stdout's encoding {enc} cannot show the character {char}; set "
            "PYTHONIOENCODING=utf-8 (or a UTF-8 locale), or use --json"
        )
        return 1
    except MemoryError:
        _error("out of memory: the inputs ask for more than this machine has; make them smaller")
        return 1
    except RecursionError:
        _error("an input is nested too deeply (a spec, an `extends` chain); flatten it")
        return 1
    except Exception as exc:  # a bug: one line, the traceback only on request
        if os.environ.get("NEVCALC_DEBUG"):
            raise
        _error(
            f"internal error {type(exc).__name__}: {exc} (a bug in nevcalc: please report "
            "the command line; NEVCALC_DEBUG=1 shows the traceback)"
        )
        return 1


def main(argv=None) -> None:
    """Entry point of the ``nevcalc`` console script.

    Exit codes: 0 success, 1 a failure (also a failed write to stdout, so
    that an incomplete output is never taken for an answer), 2 a usage
    problem, 130 interrupted (Ctrl-C).
    """
    old = _guard_stdout()
    shown_before = warnings.showwarning
    warnings.showwarning = _show_warning
    try:
        code = _run(argv)
        try:
            sys.stdout.flush()
        except OSError as exc:
            code = _stdout_error(exc)
    finally:
        warnings.showwarning = shown_before
        if old is not None:
            guarded, sys.stdout = sys.stdout, old
            try:
                guarded.flush()
            except OSError:
                pass
    sys.exit(code)


if __name__ == "__main__":
    main()
