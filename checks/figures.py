"""Traceable numbers: every figure of a plan carries the formula and the inputs that made it.

An :class:`Input` is a number with its source ("interview: computer_users", "price book:
tiers.professional.per_user", "scan: …"). A :class:`Figure` is computed by :func:`compute`
from a formula over named inputs — which are inputs or other figures — so its JSON form can be
recomputed by hand (or by a test) down to the interview answers, the scan and the price book.

Formulas are plain arithmetic: ``+ - * /``, parentheses, numbers, input names, ``min()`` and
``max()``. A figure with an unknown input (None) is itself unknown; a division by zero is
unknown too, with a note saying so. Values are rounded to cents.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Number = int | float

_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
              ast.Div: operator.truediv}
_FUNCTIONS = {"max": max, "min": min}


@dataclass(frozen=True)
class Input:
    """A number taken as given, and where it came from. ``value`` is None when unknown."""

    value: Number | None
    source: str
    unit: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: value, unit and source."""
        return {"value": self.value, "unit": self.unit, "source": self.source}


@dataclass(frozen=True)
class Figure:
    """A number computed from named inputs by a formula."""

    value: Number | None
    formula: str
    inputs: tuple[tuple[str, Input | Figure], ...]
    unit: str = ""
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: value, unit, formula, the formula with numbers, and every input."""
        values = {name: item.value for name, item in self.inputs}
        data = {"value": self.value, "unit": self.unit, "formula": self.formula,
                "worked": worked(self.formula, values),
                "inputs": {name: item.to_dict() for name, item in self.inputs}}
        if self.note:
            data["note"] = self.note
        return data


def source_of(item: Input | Figure) -> str:
    """Where a number came from, in one line: an input's source, or a figure's working."""
    if isinstance(item, Input):
        return item.source
    values = {name: value.value for name, value in item.inputs}
    sources = "; ".join(source_of(value) for _name, value in item.inputs)
    return f"{item.formula} = {worked(item.formula, values)}; {sources}"


def tidy(value: Number) -> Number:
    """Rounded to cents; a whole float becomes an int, so JSON shows 1620, not 1620.0."""
    rounded = round(value, 2)
    return int(rounded) if float(rounded).is_integer() else rounded


def evaluate(formula: str, values: Mapping[str, Number]) -> Number:
    """The value of an arithmetic formula over named numbers (nothing else is allowed)."""

    def walk(node: ast.AST) -> Number:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float) \
                and not isinstance(node.value, bool):
            return node.value
        if isinstance(node, ast.Name) and node.id in values:
            return values[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in _FUNCTIONS and node.args and not node.keywords:
            return _FUNCTIONS[node.func.id](*(walk(arg) for arg in node.args))
        raise ValueError(f"formula {formula!r}: {ast.dump(node)[:60]} is not allowed")

    return walk(ast.parse(formula, mode="eval"))


def worked(formula: str, values: Mapping[str, Number | None]) -> str:
    """The formula with each name replaced by its value: ``18 × 90``."""

    class Substitute(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.AST:  # noqa: N802 - ast visitor name
            if node.id in values:
                value = values[node.id]
                return ast.Name(id="unknown") if value is None else ast.Constant(value)
            return node

    tree = Substitute().visit(ast.parse(formula, mode="eval"))
    return ast.unparse(tree).replace(" * ", " × ").replace(" / ", " ÷ ")


def compute(formula: str, unit: str = "", note: str = "", **inputs: Input | Figure) -> Figure:
    """The figure ``formula`` gives over ``inputs``; unknown if any input is unknown."""
    values = {name: item.value for name, item in inputs.items()}
    missing = [name for name, value in values.items() if value is None]
    value: Number | None = None
    if missing:
        note = note or f"unknown: {', '.join(missing)} not known"
    else:
        try:
            value = tidy(evaluate(formula, values))  # type: ignore[arg-type]
        except ZeroDivisionError:
            note = note or "unknown: division by zero"
    return Figure(value=value, formula=formula, inputs=tuple(inputs.items()), unit=unit,
                  note=note)
