"""``.. nevcalc-cli::``: every command of the ``nevcalc`` command line with its --help.

The text is click's own help for each command, so the reference cannot drift from
the program: a new command or option appears here at the next build.
"""

from __future__ import annotations

import click
from docutils import nodes
from docutils.parsers.rst import Directive

WIDTH = 88


def _commands(group: click.Group, ctx: click.Context, path: list[str]):
    for name in sorted(group.list_commands(ctx)):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        sub = click.Context(
            command, info_name=name, parent=ctx, terminal_width=WIDTH, max_content_width=WIDTH
        )
        yield [*path, name], command, sub
        if isinstance(command, click.Group):
            yield from _commands(command, sub, [*path, name])


class NevcalcCli(Directive):
    """Sections of the command line's help, one per command and subcommand."""

    has_content = False

    def run(self):
        from nevcalc.cli import cli

        root = click.Context(
            cli, info_name="nevcalc", terminal_width=WIDTH, max_content_width=WIDTH
        )
        out = []
        top = nodes.section(ids=["nevcalc-help"], names=["nevcalc --help"])
        top += nodes.title(text="nevcalc")
        top += nodes.literal_block(text=cli.get_help(root))
        out.append(top)
        for path, command, ctx in _commands(cli, root, []):
            title = "nevcalc " + " ".join(path)
            section = nodes.section(ids=["cli-" + "-".join(path)], names=[title])
            section += nodes.title(text=title)
            short = command.get_short_help_str(limit=200)
            if short:
                section += nodes.paragraph(text=short)
            section += nodes.literal_block(text=command.get_help(ctx))
            out.append(section)
        return out


def setup(app):
    app.add_directive("nevcalc-cli", NevcalcCli)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
