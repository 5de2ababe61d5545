"""Click parameter types shared by the commands."""

from __future__ import annotations

from typing import Any

import click


class FocusType(click.ParamType):
    name = "0..1"

    def convert(self, value: Any, param: Any, ctx: Any) -> float:
        try:
            f = float(value)
        except ValueError:
            self.fail(f"{value!r} is not a number between 0 (left) and 1 (right)", param, ctx)
        if not 0 <= f <= 1:
            self.fail(f"{value} is outside 0 (left) .. 1 (right)", param, ctx)
        return f


