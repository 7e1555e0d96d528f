"""``nevcalc serve``: its options are checked like every command's, and it starts fast."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request

import pytest

pytest.importorskip("uvicorn", reason="the web extra: pip install 'nevcalc[web]'")

from tests.web.server import free_port, start_server, stop, wait_for_page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--port", "0"), "Invalid value for '--port': 0 is not in the range 1<=x<=65535."),
        (("--port", "70000"), "70000 is not in the range 1<=x<=65535"),
        (("--port", "http"), "'http' is not a valid integer"),
        (("--host", ""), "option --host: '' is not a host name or address; e.g. 127.0.0.1"),
        (("--host", "a b"), "is not a host name or address"),
    ],
)
def test_a_bad_option_is_a_usage_error(run_cli, args, message):
    code, out, err = run_cli("serve", *args)
    assert code == 2 and out == ""
    assert err.startswith("nevcalc: error: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_a_port_in_use_is_one_line_and_exit_1(run_cli):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code, _out, err = run_cli("serve", "--port", str(port))
    assert code == 1
    assert err.startswith(f"nevcalc: error: cannot listen on 127.0.0.1:{port}: ")
    assert err.strip().endswith("choose another --port (or --host)")


def test_serve_answers_its_first_page_and_reads_only_shipped_specs(tmp_path):
    """Started in a folder with a specs/ of its own: the page still reads the shipped ones."""
    own = tmp_path / "specs" / "vehicles"
    own.mkdir(parents=True)
    (own / "kia-ev6-77.toml").write_text("this is not a spec\n")
    port = free_port()
    proc = start_server(port, tmp_path)
    try:
        took = wait_for_page(f"http://127.0.0.1:{port}/", proc)
        assert took < 15  # the 2 s floor is the benchmark's, on an idle machine
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/api/charge?vehicle=kia-ev6-77", timeout=30
        ) as res:
            assert res.status == 200
            assert b'"vehicle": "kia-ev6-77"' in res.read()
        with pytest.raises(urllib.error.HTTPError) as bad:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/charge?vehicle=x.toml")
        assert bad.value.code == 400
        # the one folder searched is named once, not a doubled specs/specs beside it
        with pytest.raises(urllib.error.HTTPError) as bad:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/charge?vehicle=no-such-car")
        line = json.loads(bad.value.read())["error"]
        assert "specs/specs" not in line and str(tmp_path) not in line
        assert line.count("vehicles") == 1, line
    finally:
        stop(proc)
    err = proc.stderr.read()
    assert f"serving on http://127.0.0.1:{port}/" in err
    assert "Traceback" not in err


def test_bench_serve_first_page(benchmark, tmp_path):
    """Whole process: `nevcalc serve` started until its page answers (floor 2 s)."""

    def run():
        port = free_port()
        proc = start_server(port, tmp_path)
        try:
            return wait_for_page(f"http://127.0.0.1:{port}/", proc)
        finally:
            stop(proc)

    took = benchmark.pedantic(run, rounds=5, iterations=1)
    assert took > 0
    if not benchmark.disabled:
        assert benchmark.stats.stats.median <= 2.0
