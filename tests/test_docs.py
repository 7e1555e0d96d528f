"""The documentation builds without a warning, and says what it must.

The site is built once per session with ``sphinx-build -W --keep-going -b html`` (every
warning an error, as CI builds it) into a temporary folder; the checks then read the
built pages and, where a page repeats something the package knows (its modules, its
commands, its units, its references), hold it to the package.
"""

from __future__ import annotations

import html
import importlib
import inspect
import math
import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest

from nevcalc.cli import cli
from nevcalc.units import to_si

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

PAGES = [
    "index",
    "getting-started",
    "your-own-car",
    "units",
    "glossary",
    "commands",
    "specs",
    "scenarios",
    "sweeps",
    "python",
    "validation",
    "benchmarks",
    "architecture",
    "cli",
    "development",
    "credits",
    "api/index",
    "api/model",
    "api/evaluator",
    "api/inputs",
    "api/answers",
    "api/sweeps",
    "api/report",
]
#: One page per model, and the modules whose docstrings it explains.
MODEL_PAGES = {
    "pack": ["pack"],
    "charging": ["charging", "tables"],
    "thermal": ["thermal"],
    "driving": ["driving", "label"],
    "trip": ["trip"],
    "degradation": ["degradation"],
    "cost": ["cost"],
    "trends": ["trends"],
}
#: Words a newcomer meets in the answers and must find in the glossary.
GLOSSARY_TERMS = [
    "efc",
    "EFC",
    "C-rate",
    "SoC",
    "car P",
    "peak power",
    "CV phase",
    "taper",
    "UA",
    "COP",
    "WLTP",
    "CLTC",
    "EPA",
    "SoH",
    "calendar fade",
    "cycle fade",
    "experience curve",
    "conformal interval",
    "binding limit",
    "booster",
    "preconditioning",
    "km in 20 min",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html")
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", "-d",
         str(out / ".doctrees"), str(DOCS), str(out)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, f"sphinx-build failed:\n{done.stdout}\n{done.stderr}"
    assert "WARNING" not in done.stderr and "ERROR" not in done.stderr, done.stderr
    return out


def _text(page: Path) -> str:
    """A built page's visible text, tags dropped and white space folded."""
    body = page.read_text(encoding="utf-8")
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    text = text.translate(str.maketrans("\u201c\u201d\u2018\u2019", "\"\"''"))  # smart quotes
    return re.sub(r"\s+", " ", text)


def test_every_page_is_built(site):
    for name in PAGES + [f"models/{m}" for m in MODEL_PAGES] + ["models/index"]:
        assert (site / f"{name}.html").is_file(), f"docs page {name} was not built"


def test_the_glossary_defines_the_words_of_the_answers(site):
    body = (site / "glossary.html").read_text(encoding="utf-8")
    terms = {html.unescape(t).strip() for t in re.findall(r'<dt id="term-[^"]*">([^<]+)', body)}
    missing = [t for t in GLOSSARY_TERMS if t not in terms]
    assert missing == [], f"terms missing from the glossary: {missing}"


def test_each_model_page_has_equations_and_the_modules_references(site):
    """The model pages, and the API reference of the modules, show every reference of the
    module docstrings as written (its URLs, volume (year), doi, or first words)."""
    api = _text(site / "api" / "model.html")
    for page, modules in MODEL_PAGES.items():
        built = site / "models" / f"{page}.html"
        assert 'class="math' in built.read_text(encoding="utf-8"), f"{page}: no equation"
        text = _text(built)
        for name in modules:
            doc = importlib.import_module(f"nevcalc.model.{name}").__doc__ or ""
            refs = re.split(r"\n\.\. \[\d+\]", doc.split("References\n----------", 1)[-1])[1:]
            for ref in refs:
                ref = re.sub(r"\s+", " ", ref.split("\n\n", 1)[0]).strip()
                marks = re.findall(r"https?://[^\s,;)]+|\d+ \(\d{4}\)|doi [^\s,;)]+", ref)
                marks = marks or [" ".join(ref.split()[:3])]
                for mark in marks:
                    mark = mark.rstrip(".:")
                    assert mark in text, f"{page}: {name}'s reference {mark}"
                    assert mark in api, f"api/model: {name}'s reference {mark}"


def test_the_api_reference_documents_every_public_function_and_class(site):
    pages = {
        "api/model.html": [f"model.{p.stem}" for p in (ROOT / "nevcalc/model").glob("[!_]*.py")],
        "api/evaluator.html": ["evaluate", "cars", "ageing", "surrogate", "intervals"],
        "api/inputs.html": ["units", "params"],
    }
    for page, modules in pages.items():
        body = (site / page).read_text(encoding="utf-8")
        for name in modules:
            mod = importlib.import_module(f"nevcalc.{name}")
            for attr in mod.__all__:
                obj = getattr(mod, attr)
                if (inspect.isfunction(obj) or inspect.isclass(obj)) and (
                    obj.__module__ == mod.__name__
                ):
                    assert f'id="{mod.__name__}.{attr}"' in body, f"{page}: {name}.{attr}"


def _commands(group: click.Group, ctx: click.Context, path: list[str]):
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield [*path, name]
        if isinstance(command, click.Group):
            yield from _commands(command, click.Context(command, parent=ctx), [*path, name])


def test_the_cli_reference_has_every_command_with_its_options(site):
    body = (site / "cli.html").read_text(encoding="utf-8")
    text = _text(site / "cli.html")
    for path in _commands(cli, click.Context(cli), []):
        assert f'id="cli-{"-".join(path)}"' in body, f"nevcalc {' '.join(path)} not documented"
    for option in ("--charger", "--ambient", "--precondition", "--route", "--json"):
        assert option in text


def test_getting_started_shows_the_commands_and_a_real_answer(site):
    text = _text(site / "getting-started.html")
    assert "pip install -e . && nevcalc compare" in text
    assert "pip install -e '.[test]' && pytest" in text
    # the compare table, with a column that only a real run prints
    assert "binding limits" in text and "byd-han-l" in text and "kia-ev6-77" in text


def _docs_sources() -> list[Path]:
    return [*sorted(DOCS.rglob("*.rst")), ROOT / "README.md"]


def test_every_command_line_shown_is_one_nevcalc_accepts():
    """Each ``$ nevcalc ...`` in the docs and the README parses: the command exists, its
    options exist and their values are read (click's types and the options' checks)."""
    seen = 0
    for source in _docs_sources():
        for line in source.read_text(encoding="utf-8").splitlines():
            m = re.match(r"\s*(?:\$ |pip install .*&& )(nevcalc(?: .*)?)$", line)
            if not m:
                continue
            words = shlex.split(m.group(1), comments=True)[1:]
            command, ctx = cli, click.Context(cli, info_name="nevcalc")
            while isinstance(command, click.Group) and words:
                name = words.pop(0)
                command = command.get_command(ctx, name)
                assert command is not None, f"{source.name}: no command {name!r}: {line}"
                ctx = click.Context(command, info_name=name, parent=ctx)
            try:
                command.make_context(ctx.info_name, words, parent=ctx.parent)
            except click.ClickException as exc:
                pytest.fail(f"{source.name}: {line.strip()} -> {exc.format_message()}")
            seen += 1
    assert seen >= 40


def _units_rows() -> list[tuple[str, str, str]]:
    text = (DOCS / "units.rst").read_text(encoding="utf-8")
    table = text.split(":name: units-table", 1)[1].split("\nRules\n", 1)[0]
    rows = []
    for row in re.split(r"\n   \* - ", table)[2:]:  # past the header row
        cells = [c.strip() for c in re.split(r"\n     - ", row)]
        rows.append((cells[1].strip("`"), cells[2], cells[3]))
    return rows


def test_the_units_cheat_sheet_reads_as_it_says():
    rows = _units_rows()
    written = {r[0] for r in rows}
    for must in ("25degC", "4 /h", "0.6 CNY/kWh", "350 kW", "800 V"):
        assert must in written
    for text, unit, si in rows:
        unit = "" if unit == "(none)" else unit
        value = to_si(text, unit, "docs/units.rst")
        if si.startswith("money"):
            assert value > 0
        else:
            assert math.isclose(value, float(si), rel_tol=1e-4), (text, value, si)


def _tree() -> set[str]:
    text = (DOCS / "architecture.rst").read_text(encoding="utf-8")
    block = text.split(".. code-block:: text", 1)[1].splitlines()[1:]
    lines = []
    for ln in block:
        if ln.strip() and not ln.startswith("   "):
            break  # the end of the code block
        lines.append(ln[3:])
    paths, stack = set(), []
    for line in lines[lines.index("nevcalc/") + 1 :]:
        m = re.match(r"( *)(\S+)", line)
        if not m:
            continue
        depth = (len(m.group(1)) - 2) // 2
        name = m.group(2)
        stack[depth:] = [name.rstrip("/")]
        if name.endswith(".py"):
            paths.add("/".join(stack))
    return paths


def test_architecture_tree_lists_the_modules_there_are():
    package = ROOT / "nevcalc"
    modules = {
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if not (p.name == "__init__.py" and p.parent != package)
    }
    listed = _tree()
    assert sorted(modules - listed) == [], "modules missing from docs/architecture.rst"
    assert sorted(listed - modules) == [], "docs/architecture.rst names modules that do not exist"


def test_the_pages_load_no_script_from_the_network_and_render_math_offline(site):
    """Every script, style sheet and font a page loads is a file of the site: MathJax
    comes with the `docs` extra (sphinx-mathjax-offline), not from a CDN."""
    pages = sorted(site.rglob("*.html"))
    with_math = []
    for page in pages:
        body = page.read_text(encoding="utf-8")
        loaded = re.findall(r'<script\b[^>]*\bsrc="([^"]+)"', body) + re.findall(
            r'<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"', body
        )
        for url in loaded:
            name = page.relative_to(site)
            assert not re.match(r"(https?:)?//", url), f"{name} loads {url}"
            assert (page.parent / url.split("?")[0]).is_file(), f"{name}: {url} is not built"
        if "\\(" in body or 'class="math' in body:
            with_math.append(page.name)
            assert re.search(r'<script\b[^>]*src="[./]*_static/mathjax/tex-chtml\.js"', body)
    assert "thermal.html" in with_math and "charging.html" in with_math
    fonts = site / "_static/mathjax/output/chtml/fonts/woff-v2"
    assert (fonts / "MathJax_Main-Regular.woff").is_file()
