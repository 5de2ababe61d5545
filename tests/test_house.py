"""The house's rules (ARCHITECTURE.md, "The house"), held against the code's own imports: they run downwards or
within a level, never in a circle, and the command line loads its commands lazily."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "videokit"

# from the top down: a module may import its own level and the levels below, never one above
LEVELS = [
    {"commands"},
    {"review", "thenandnow", "podcast", "publish", "signlanguage", "splitting"},
    {"check", "render", "handoff", "plan", "cards", "channelfiles"},
    {"captions", "edits", "reframe", "faceblur", "job", "graphics", "brand", "templates", "probe", "cleanspeech",
     "samplegen", "crowdclip", "channels"},
    {"timeline", "errors", "tools", "platforms", "geometry", "layout", "textfile", "jobschema", "outdir", "runners",
     "cache", "scratch", "interrupt", "filetxn", "naming", "mp4box", "speechtext", "timemap"},
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path, name: str, modules: dict[str, Path]) -> set[str]:
    """The videokit modules `path` imports (anywhere in the file: a function's import is an import too)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            candidates = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in modules:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != "videokit" and candidate != name:
                targets.add(candidate)
    return targets


def _level(module: str) -> int | None:
    room = module.split(".")[1] if "." in module else module
    return next((i for i, level in enumerate(LEVELS) if room in level), None)


def test_every_import_runs_down_or_level() -> None:
    modules = _modules()
    upward = []
    for name, path in modules.items():
        here = _level(name)
        if here is None:
            continue
        for target in _imports(path, name, modules):
            there = _level(target)
            if there is not None and there < here:
                upward.append(f"{name} -> {target}")
    assert not upward, upward


def test_every_room_has_a_level() -> None:
    rooms = {name.split(".")[1] for name in _modules() if name.count(".") >= 1}
    assert rooms - {"cli", "__main__"} == set().union(*LEVELS)


def test_no_import_circle() -> None:
    modules = _modules()
    graph = {name: _imports(path, name, modules) for name, path in modules.items()}
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                raise AssertionError("import circle: " + " -> ".join(path[path.index(nxt):] + [nxt]))
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for start in graph:
        if start not in state:
            visit(start, [start])


def test_the_command_line_loads_commands_lazily() -> None:
    modules = _modules()
    imported = _imports(modules["videokit.cli"], "videokit.cli", modules)
    assert not {t for t in imported if t.startswith("videokit.commands")}
    from videokit.cli import COMMANDS, cli

    import click

    for name, target in COMMANDS.items():
        command = cli.get_command(click.Context(cli), name)
        assert isinstance(command, click.Command) and target.startswith("videokit.commands."), name
