"""The page in a real browser: headless Chromium against ``nevcalc serve`` on 127.0.0.1.

Each view is loaded, a control is moved, and the figure and the number must change the
way the model says (and agree with ``/api/``); a link reproduces the view; the figure
exports as SVG, PNG and CSV; a screenshot is not blank. Skipped, saying how to install
it, where Chromium or its driver is missing.
"""

from __future__ import annotations

import itertools
import json
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.web.server import free_port, start_server, stop, wait_for_page

CHROMIUM = Path("/usr/bin/chromium")
INSTALL = (
    "Chromium and its driver are needed for the browser tests: "
    "apt-get install chromium chromium-driver (Debian), then run again"
)

webdriver = pytest.importorskip("selenium.webdriver", reason="pip install selenium")
pytest.importorskip("uvicorn", reason="the web extra: pip install 'nevcalc[web]'")
if not CHROMIUM.exists() or shutil.which("chromedriver") is None:
    pytest.skip(INSTALL, allow_module_level=True)

from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    proc = start_server(port, tmp_path_factory.mktemp("serve"))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_page(base + "/", proc)
        yield base
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    opts = Options()
    opts.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000"):  # fmt: skip
        opts.add_argument(arg)
    opts.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
        },
    )
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _api(server, path: str):
    with urllib.request.urlopen(server + path, timeout=60) as res:
        return json.loads(res.read())


def _renders(browser) -> int:
    return int(browser.execute_script("return +document.getElementById('figure').dataset"
                                      ".renders || 0"))  # fmt: skip


def _wait(browser, after: int = 0, limit: float = 60.0) -> None:
    """Until the figure has been drawn more than ``after`` times, and without an error."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        state = browser.execute_script("return document.getElementById('figure').dataset.state")
        if _renders(browser) > after and state in ("ready", "error"):
            status = browser.find_element(By.ID, "status")
            assert state == "ready", f"the page shows an error: {status.text}"
            return
        time.sleep(0.05)
    raise AssertionError("the figure was not drawn in time")


def _open(browser, server, query: str) -> None:
    browser.get(f"{server}/?{query}")
    _wait(browser)


def _number(browser, key: str) -> float:
    return float(browser.find_element(By.CSS_SELECTOR, f'.num[data-key="{key}"]')
                 .get_attribute("data-value"))  # fmt: skip


def _choose(browser, control: str, value: str) -> None:
    before = _renders(browser)
    Select(browser.find_element(By.ID, f"c-{control}")).select_by_value(value)
    _wait(browser, before)


def _slide(browser, control: str, value) -> None:
    before = _renders(browser)
    browser.execute_script(
        "const e = document.getElementById(arguments[0]); e.value = arguments[1];"
        "e.dispatchEvent(new Event('input'));",
        f"c-{control}",
        str(value),
    )
    _wait(browser, before)


def _query(browser) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(browser.current_url).query))


def _screenshot_is_not_blank(browser, path: Path) -> None:
    from PIL import Image

    browser.find_element(By.CSS_SELECTOR, "#figure svg").screenshot(str(path))
    img = Image.open(path).convert("RGB")
    colours = img.getcolors(maxcolors=1 << 20)
    assert len(colours) > 20, "a figure of a handful of colours: blank"
    white = sum(n for n, c in colours if min(c) > 245)
    assert white < 0.97 * img.width * img.height, "the figure is (almost) all white"


def test_charge_view_answers_a_bigger_charger_and_cold_air(browser, server, tmp_path):
    _open(browser, server, "view=charge&vehicle=kia-ev6-77&charger=ccs-50kw&from=10&to=80")
    slow, slow_peak = _number(browser, "duration"), _number(browser, "peak")
    svg = browser.find_element(By.CSS_SELECTOR, "#figure svg")
    assert float(svg.get_attribute("data-peak")) == pytest.approx(slow_peak, rel=0.01)
    limits = {
        e.get_attribute("data-limit") for e in svg.find_elements(By.CSS_SELECTOR, "[data-limit]")
    }
    assert "charger power" in limits  # a 50 kW charger is what holds a 233 kW car back

    _choose(browser, "charger", "ionity-350")
    fast = _number(browser, "duration")
    svg = browser.find_element(By.CSS_SELECTOR, "#figure svg")
    assert fast < slow / 2 and float(svg.get_attribute("data-peak")) > 3 * slow_peak
    assert _query(browser)["charger"] == "ionity-350"
    api = _api(server, "/api/charge?vehicle=kia-ev6-77&charger=ionity-350&from=10%25&to=80%25"
                       "&minutes=5")  # fmt: skip
    assert fast == pytest.approx(api["duration"]["value"])
    assert _number(browser, "km5") == pytest.approx(api["range_added"]["value"])

    _choose(browser, "ambient", "-20")  # a cold pack: slower, and the cold-cell limit shows
    cold = _number(browser, "duration")
    assert cold > fast
    svg = browser.find_element(By.CSS_SELECTOR, "#figure svg")
    limits = {
        e.get_attribute("data-limit") for e in svg.find_elements(By.CSS_SELECTOR, "[data-limit]")
    }
    assert "cold cell" in limits
    _choose(browser, "precondition", "on-arrival")
    assert _number(browser, "duration") < cold
    _screenshot_is_not_blank(browser, tmp_path / "charge.png")

    # the link reproduces the view: same controls, same number
    link, shown = browser.current_url, _number(browser, "duration")
    assert _query(browser) == {"view": "charge", "car": "shipped", "vehicle": "kia-ev6-77",
                               "charger": "ionity-350", "from": "10", "to": "80",
                               "ambient": "-20", "precondition": "on-arrival"}  # fmt: skip
    browser.get("about:blank")
    browser.get(link)
    _wait(browser)
    assert Select(browser.find_element(By.ID, "c-charger")).first_selected_option \
        .get_attribute("value") == "ionity-350"  # fmt: skip
    assert _number(browser, "duration") == shown


def _limits(browser) -> set[str]:
    svg = browser.find_element(By.CSS_SELECTOR, "#figure svg")
    return {
        e.get_attribute("data-limit") for e in svg.find_elements(By.CSS_SELECTOR, "[data-limit]")
    }


def _interval(browser) -> tuple[float, float, float]:
    e = browser.find_element(By.CSS_SELECTOR, '.num[data-key="interval"]')
    return tuple(float(e.get_attribute(f"data-{k}")) for k in ("low", "high", "level"))


BROCHURE = ("view=charge&car=brochure&battery=77&peak-power=100&voltage=800&chemistry=nmc811"
            "&charger=none&from=10&to=80")  # fmt: skip


def test_a_brochure_car_charges_no_slower_with_a_bigger_peak_power(browser, server, tmp_path):
    _open(browser, server, BROCHURE)
    assert browser.find_elements(By.ID, "c-battery") and not browser.find_elements(
        By.ID, "c-vehicle"
    )
    times = [_number(browser, "duration")]
    low, high, level = _interval(browser)
    assert low < times[0] < high and 0 < level < 1  # the time and the range it likely falls in
    api = _api(server, "/api/charge?battery=77kWh&peak-power=100kW&voltage=800V&chemistry=nmc811"
                       "&charger=none&from=10%25&to=80%25&minutes=10")  # fmt: skip
    assert times[0] == pytest.approx(api["duration"]["value"])
    assert (low, high) == (api["interval"]["low"], api["interval"]["high"])
    shown = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#assumptions li")]
    assert shown == api["assumptions"]  # what the model filled in, listed as it says
    for peak in (200, 300, 500, 1000):
        _slide(browser, "peak-power", peak)
        times.append(_number(browser, "duration"))
        assert _interval(browser)[0] < times[-1] < _interval(browser)[1]
    # a bigger peak power never charges slower; 100 -> 200 kW on a 77 kWh pack is faster
    assert all(b <= a for a, b in itertools.pairwise(times)), times
    assert times[1] < times[0]
    _screenshot_is_not_blank(browser, tmp_path / "brochure.png")

    # the link reproduces the brochure car
    link, shown = browser.current_url, _number(browser, "duration")
    query = _query(browser)
    keys = ("car", "battery", "peak-power", "voltage", "chemistry", "charger")
    assert [query.get(k) for k in keys] == ["brochure", "77", "1000", "800", "nmc811", "none"]
    assert "vehicle" not in query
    browser.get("about:blank")
    browser.get(link)
    _wait(browser)
    assert browser.find_element(By.ID, "c-peak-power").get_attribute("value") == "1000"
    assert Select(browser.find_element(By.ID, "c-car")).first_selected_option \
        .get_attribute("value") == "brochure"  # fmt: skip
    assert _number(browser, "duration") == shown

    # back to a shipped car: its figures leave the URL, and it has no interval
    _choose(browser, "car", "shipped")
    assert "peak-power" not in _query(browser) and _query(browser)["vehicle"] == "kia-ev6-77"
    assert not browser.find_elements(By.CSS_SELECTOR, '.num[data-key="interval"]')


def test_a_charger_set_by_hand_binds_until_the_car_does(browser, server):
    _open(browser, server, "view=charge&vehicle=kia-ev6-77&charger=hand&charger-power=50"
                           "&charger-current=500&charger-voltage=1000")  # fmt: skip
    slow = _number(browser, "duration")
    assert _number(browser, "peak") <= 50 + 1e-6 and _limits(browser) == {"charger power"}
    _slide(browser, "charger-power", 1000)  # 1 MW: the car's own limit takes over
    fast = _number(browser, "duration")
    assert fast < slow / 3 and "charger power" not in _limits(browser)
    assert _query(browser)["charger-power"] == "1000"
    _slide(browser, "charger-current", 100)  # 100 A: the current binds, at most 100 kW at 1 kV
    assert "charger current" in _limits(browser)
    assert _number(browser, "peak") <= 100 and _number(browser, "duration") > fast
    api = _api(server, "/api/charge?vehicle=kia-ev6-77&charger-power=1000kW&charger-current=100A"
                       "&charger-voltage=1000V&from=10%25&to=80%25")  # fmt: skip
    assert _number(browser, "duration") == pytest.approx(api["duration"]["value"])


def test_a_wider_window_takes_longer(browser, server):
    _open(browser, server, "view=charge&vehicle=kia-ev6-77&charger=ionity-350")
    base = _number(browser, "duration")
    _slide(browser, "to", 90)
    assert _number(browser, "duration") > base
    assert _query(browser)["to"] == "90"


def test_trip_view_cold_air_makes_the_trip_longer(browser, server, tmp_path):
    _open(browser, server, "view=trip&route=motorway-1000&car1=kia-ev6-77"
                           "&car2=tesla-model-3-rwd-2024&car3=")  # fmt: skip
    lines = browser.find_elements(By.CSS_SELECTOR, "#figure .trip-line")
    assert [x.get_attribute("data-vehicle") for x in lines] == [
        "kia-ev6-77",
        "tesla-model-3-rwd-2024",
    ]
    mild = _number(browser, "total1")
    api = _api(server, "/api/trip?vehicle=kia-ev6-77&route=motorway-1000")
    assert mild == pytest.approx(api["total_time"]["value"])
    _choose(browser, "ambient", "-20")
    assert _number(browser, "total1") > mild
    assert _query(browser)["ambient"] == "-20"
    _choose(browser, "car3", "byd-han-l")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#figure .trip-line")) == 3
    _screenshot_is_not_blank(browser, tmp_path / "trip.png")


def test_claims_view_shows_each_verdict_of_the_scenario(browser, server, tmp_path):
    _open(browser, server, "view=claims&scenario=byd-super-e-platform")
    _choose(browser, "scenario", "solid-state")
    doc = _api(server, "/api/scenario/solid-state")
    bars = browser.find_elements(By.CSS_SELECTOR, "#figure .claim-bar")
    assert len(bars) == len(doc["claims"])
    shown = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".holds, .fails, .unknown")]
    assert shown == [c["verdict"] for c in doc["claims"]]
    assert _number(browser, "held") == sum(c["holds"] for c in doc["claims"])
    assert _query(browser)["scenario"] == "solid-state"
    _screenshot_is_not_blank(browser, tmp_path / "claims.png")


def test_range_view_denser_cells_of_the_same_mass_go_further(browser, server, tmp_path):
    _open(browser, server, "view=range&vehicle=kia-ev6-77&cycle=official&chems=lfp,solid-state")
    points = {(e.get_attribute("data-chem"), e.get_attribute("data-keep")): e
              for e in browser.find_elements(By.CSS_SELECTOR, "#figure .range-point")}  # fmt: skip
    assert set(points) == {("lfp", "energy"), ("lfp", "mass"), ("solid-state", "energy"),
                           ("solid-state", "mass")}  # fmt: skip
    # SVG y grows downwards: the solid-state pack of the same mass is drawn higher (more km)
    y = {k: float(e.get_attribute("y") or e.get_attribute("cy")) for k, e in points.items()}
    assert y[("solid-state", "mass")] < y[("lfp", "mass")]
    built = _number(browser, "range")
    _choose(browser, "cycle", "us06")  # the hard, fast cycle: less range
    assert _number(browser, "range") < built
    assert _query(browser)["cycle"] == "us06"
    _screenshot_is_not_blank(browser, tmp_path / "range.png")


def test_cost_view_more_driving_ages_the_battery_more(browser, server, tmp_path):
    _open(browser, server, "view=cost&vehicle=kia-ev6-77&chemistry=nmc811&climate=shanghai"
                           "&km=15000&years=10")  # fmt: skip
    capacity, total = _number(browser, "capacity"), _number(browser, "total")
    _slide(browser, "km", 40000)
    assert _number(browser, "capacity") < capacity
    assert _number(browser, "total") > total  # more energy and maintenance
    assert _query(browser)["km"] == "40000"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#figure .cost-bar")) >= 4
    _screenshot_is_not_blank(browser, tmp_path / "cost.png")
    # the ageing is that of the chosen car's pack: a bigger, thriftier pack (Lucid Air GT,
    # 112 kWh) goes through fewer full cycles for the same km than a 58 kWh VW ID.3
    _choose(browser, "vehicle", "vw-id3-58")
    small = _number(browser, "capacity")
    _choose(browser, "vehicle", "lucid-air-gt")
    assert _number(browser, "capacity") > small


def test_trend_view_slower_growth_leaves_a_higher_price(browser, server, tmp_path):
    _open(browser, server, "view=trend&growth=37&until=2035")
    price = _number(browser, "last")
    _slide(browser, "growth", 10)
    assert _number(browser, "last") > price
    doc = _api(server, "/api/trend?growth=10%25&until=2035")
    assert _number(browser, "last") == pytest.approx(doc["pack_price"][-1]["value"])
    _screenshot_is_not_blank(browser, tmp_path / "trend.png")


def test_the_figure_exports_as_svg_png_and_csv(browser, server, downloads):
    _open(browser, server, "view=charge&vehicle=kia-ev6-77&charger=ionity-350")
    for button in ("export-svg", "export-png", "export-csv"):
        browser.find_element(By.ID, button).click()
    name = "charge-kia-ev6-77-ionity-350"
    files = {s: downloads / f"{name}.{s}" for s in ("svg", "png", "csv")}
    t0 = time.perf_counter()
    while not all(f.exists() and f.stat().st_size for f in files.values()):
        assert time.perf_counter() - t0 < 30, f"not downloaded: {sorted(downloads.iterdir())}"
        time.sleep(0.1)
    assert files["svg"].read_text().startswith("<svg")
    assert files["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = files["csv"].read_text().splitlines()
    assert rows[0] == "soc [%],time [min],power [kW],limit,cell temperature [degC]"
    doc = _api(server, "/api/charge?vehicle=kia-ev6-77&charger=ionity-350&from=10%25&to=80%25")
    assert len(rows) - 1 == len(doc["curve"]["soc"]["values"])
    from PIL import Image

    img = Image.open(files["png"])
    assert img.width >= 1000 and len(img.convert("RGB").getcolors(1 << 20)) > 20


def test_a_refused_request_shows_the_command_lines_message(browser, server):
    browser.get(f"{server}/?view=charge&vehicle=kia-ev6-77&charger=ionity-350&from=90&to=20")
    t0 = time.perf_counter()
    while browser.execute_script("return document.getElementById('figure').dataset.state") \
            != "error":  # fmt: skip
        assert time.perf_counter() - t0 < 60, "no error shown"
        time.sleep(0.05)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{server}/api/charge?vehicle=kia-ev6-77&charger=ionity-350"
                               "&from=90%25&to=20%25&minutes=10")  # fmt: skip
    line = json.loads(refused.value.read())["error"]
    assert "must be above the start" in line
    assert browser.find_element(By.ID, "status").text == line


def test_the_tabs_switch_views_and_the_url_follows(browser, server):
    _open(browser, server, "view=charge&vehicle=kia-ev6-77&charger=ionity-350")
    before = _renders(browser)
    browser.find_element(By.CSS_SELECTOR, '#tabs a[data-view="trip"]').click()
    _wait(browser, before)
    assert _query(browser)["view"] == "trip"
    assert browser.find_elements(By.CSS_SELECTOR, "#figure .trip-line")
    assert browser.find_element(By.CSS_SELECTOR, "#explain h2").text.startswith("Trip")


def test_a_refused_change_takes_the_last_answer_away(browser, server):
    """After a drawn answer, a change the command refuses shows its message and no figure
    or number of the settings before it."""
    _open(browser, server, "view=charge&vehicle=kia-ev6-77&charger=ionity-350&from=10&to=80")
    assert browser.find_elements(By.CSS_SELECTOR, "#figure svg")
    assert browser.find_elements(By.CSS_SELECTOR, "#numbers .num")
    before = _renders(browser)
    browser.execute_script(
        "const e = document.getElementById('c-from'); e.value = '90';"
        "e.dispatchEvent(new Event('input'));"
    )
    t0 = time.perf_counter()
    while _renders(browser) <= before:
        assert time.perf_counter() - t0 < 60, "the change was not answered"
        time.sleep(0.05)
    state = browser.execute_script("return document.getElementById('figure').dataset.state")
    assert state == "error"
    assert "must be above the start" in browser.find_element(By.ID, "status").text
    assert not browser.find_elements(By.CSS_SELECTOR, "#figure svg")
    assert not browser.find_elements(By.CSS_SELECTOR, "#numbers .num")


@pytest.mark.parametrize("view", ["__proto__", "constructor", "toString", "no-such-view"])
def test_a_link_to_an_unknown_view_opens_the_charge_view(browser, server, view):
    _open(browser, server, f"view={view}&vehicle=kia-ev6-77&charger=ionity-350")
    assert _query(browser)["view"] == "charge"
    assert browser.find_elements(By.CSS_SELECTOR, "#figure svg")
    assert browser.find_element(By.ID, "status").text == ""


@pytest.mark.parametrize(
    ("query", "key", "shown", "api"),
    [
        ("view=charge&vehicle=kia-ev6-77&charger=ionity-350&from=10&to=500", "to", "100",
         "/api/charge?vehicle=kia-ev6-77&charger=ionity-350&from=10%25&to=100%25"),
        ("view=charge&vehicle=kia-ev6-77&charger=ionity-350&from=-40&to=80", "from", "0",
         "/api/charge?vehicle=kia-ev6-77&charger=ionity-350&from=0%25&to=80%25"),
        ("view=charge&vehicle=kia-ev6-77&charger=ionity-350&from=12&to=80", "from", "10",
         "/api/charge?vehicle=kia-ev6-77&charger=ionity-350&from=10%25&to=80%25"),
    ],
)  # fmt: skip
def test_a_link_value_out_of_a_sliders_range_is_computed_as_the_slider_shows_it(
    browser, server, query, key, shown, api
):
    """The slider holds a link's value within its range (and on its steps); the request,
    the number and the link are those of the value it shows, not of the link's."""
    _open(browser, server, query)
    assert browser.find_element(By.ID, f"c-{key}").get_attribute("value") == shown
    assert browser.find_element(By.ID, f"c-{key}-value").text.startswith(f"{shown} ")
    assert _query(browser)[key] == shown
    assert _number(browser, "duration") == pytest.approx(_api(server, api)["duration"]["value"])
