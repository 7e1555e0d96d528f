"""The README's Architecture tree names every module of the package, and only those."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tree() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Architecture", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    paths, stack = set(), []
    for line in block.splitlines()[1:]:  # below "nevcalc/"
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
    assert sorted(modules - listed) == [], "modules missing from the README's tree"
    assert sorted(listed - modules) == [], "the README's tree names modules that do not exist"
