"""The `videokit` command line: the group, its lazily loaded commands (videokit/commands/) and the one place where
errors become one line and an exit code. Expected problems print one line and exit non-zero; no tracebacks."""

from __future__ import annotations

import importlib
import sys
import warnings
from pathlib import Path
from typing import Any

import click

from videokit import __version__
from videokit.errors import VideokitError

# command name → "module:attribute" of its click command. A command's module (and what it imports: ffmpeg-python,
# Whisper, starlette) is loaded only when that command runs, so `videokit --help` starts in a blink.
COMMANDS = {
    "render": "videokit.commands.render:render",
    "podcast": "videokit.commands.podcast:podcast",
    "thenandnow": "videokit.commands.thenandnow:thenandnow",
    "transcribe": "videokit.commands.transcribe:transcribe",
    "review": "videokit.commands.review:review",
    "export-timeline": "videokit.commands.render:export_timeline",
    "check": "videokit.commands.check:check",
    "sample": "videokit.commands.kit:sample",
    "platforms": "videokit.commands.kit:platforms",
    "brand": "videokit.commands.kit:brand",
}


class LazyGroup(click.Group):
    """click's lazy-loading group: subcommands named here are imported when they are asked for."""

    def __init__(self, *args: Any, lazy_commands: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy_commands])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy_commands:
            return super().get_command(ctx, cmd_name)
        module, attribute = self.lazy_commands[cmd_name].split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command), self.lazy_commands[cmd_name]
        return command


@click.group(cls=LazyGroup, lazy_commands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="videokit")
def cli() -> None:
    """Offline short-video production: phone clips in, upload-ready videos out."""


def main() -> None:
    from videokit.interrupt import install
    from videokit.scratch import sweep_orphans

    install()  # INT, TERM, HUP: child processes stopped, temp files removed, exit 128 + signal
    # libraries' notes to developers (pysubs2 on formats, Pillow on palettes) are not the user's business: the
    # user sees videokit's lines only
    warnings.filterwarnings("ignore", module=r"(pysubs2|PIL)(\.|$)")
    sweep_orphans()  # work folders of runs that were killed outright
    try:
        cli.main(standalone_mode=False)
    except VideokitError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # click turns a signal (videokit.interrupt) into Abort
            _interrupted(exc.__cause__)
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt as exc:
        _interrupted(exc)
    except Exception as exc:  # a bug, not the user's input: one line, the traceback goes to a log file
        log = write_crash_log(exc)
        click.echo(f"error: videokit failed unexpectedly ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no message'}); "
                   f"no partial outputs were kept; details: {log} (please attach it to a bug report)", err=True)
        sys.exit(70)


def _interrupted(exc: KeyboardInterrupt) -> None:
    click.echo(f"interrupted ({exc.args[0] if exc.args else 'SIGINT'}); child processes stopped, no partial "
               "outputs or temp files kept", err=True)
    sys.exit(getattr(exc, "exit_code", 130))


def write_crash_log(exc: BaseException) -> Path:
    """The full traceback and the command line, in the cache's log folder."""
    import time
    import traceback

    from videokit.cache import cache_dir

    folder = cache_dir("logs")
    log = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{id(exc):x}.log"
    log.write_text(f"videokit {__version__}\nargv: {sys.argv!r}\n\n"
                   + "".join(traceback.format_exception(exc)), encoding="utf-8")
    return log


if __name__ == "__main__":
    main()
