"""Numbers as the recommendation prints them, and a check that a printed working adds up.

A plan's figures arrive in ``findings.json`` as *traced* numbers: a value, a formula over named
inputs and the same formula with the numbers in (``"worked": "16 × 90"``). The report prints
amounts in whole currency units (``$1,695``) in the body and to the cent in the appendix, and
prints a working only when it reproduces its value (:func:`reproduces`), so a hand-edited or
damaged file can never make the report show arithmetic that disagrees with its own result.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from typing import Any

# Anything larger is not a price a small office pays; treat it as damage, not as a number.
MAX_AMOUNT = 1e12
_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
              ast.Div: operator.truediv}
_FUNCTIONS = {"max": max, "min": min}
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")
_MAX_MIN = re.compile(r"\b(max|min)\(([^(),]+), ([^(),]+)\)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_WORKING_CHARS = re.compile(r"[\d.,\s+\-−×÷*/()maxin]*")


def number_or_none(value: object) -> float | None:
    """A finite JSON number within :data:`MAX_AMOUNT`, else None (booleans are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not math.isfinite(value) or abs(value) > MAX_AMOUNT:
        return None
    return float(value)


def plain(value: float | None, decimals: int = 2) -> str:
    """``1,538.46``, ``16``, ``0.5``: thousands separators, no trailing zeros; "?" if unknown."""
    if value is None:
        return "?"
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def money(value: float | None, currency: str, cents: bool = False) -> str:
    """``$1,695`` for US dollars, ``1,695 EUR`` otherwise; to the cent when ``cents``.

    Whole units unless ``cents``: the body of the report rounds, the appendix is exact.
    Unknown amounts are "not known".
    """
    if value is None:
        return "not known"
    amount = abs(value)
    whole = not cents or round(amount, 2).is_integer()
    text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    sign = "−" if value < 0 and text.strip("0.,") else ""
    return f"{sign}${text}" if currency == "USD" else f"{sign}{text} {currency}"


def hours(value: float | None) -> str:
    """``18.5 h``; "not known" when unknown."""
    return "not known" if value is None else f"{plain(value)} h"


def spoken(expression: str) -> str:
    """``max(a, b)`` as "the larger of a and b" (``min`` likewise); × ÷ − for * / -."""
    expression = expression.replace(" * ", " × ").replace(" / ", " ÷ ")
    expression = _MAX_MIN.sub(lambda m: f"the {'larger' if m.group(1) == 'max' else 'smaller'} "
                              f"of {m.group(2)} and {m.group(3)}", expression)
    return expression.replace(" - ", " − ")


def tidy_working(worked: str) -> str:
    """A JSON working (``"3200000 ÷ 2080"``) as printed: ``3,200,000 ÷ 2,080``."""
    return spoken(_NUMBER.sub(lambda match: plain(float(match.group())), spoken(worked)))


def evaluate(worked: str) -> float | None:
    """The value of a printed working (numbers, + − × ÷, max, min), or None if it is not one."""
    text = worked.replace("×", "*").replace("÷", "/").replace("−", "-")
    text = _THOUSANDS.sub("", text)
    if not text.strip() or len(text) > 600 or not _WORKING_CHARS.fullmatch(worked):
        return None

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in _FUNCTIONS and node.args and not node.keywords:
            return _FUNCTIONS[node.func.id](*(walk(arg) for arg in node.args))
        raise ValueError("not arithmetic")

    try:
        return walk(ast.parse(text, mode="eval"))
    except (SyntaxError, ValueError, ZeroDivisionError, TypeError, OverflowError, RecursionError):
        return None


def reproduces(worked: str, value: float | None) -> bool:
    """Whether ``worked`` computes ``value`` (to the cent the JSON rounds to)."""
    if value is None:
        return False
    result = evaluate(worked)
    return result is not None and abs(result - value) <= 0.011 + abs(value) * 1e-9


def traced_value(traced: Any) -> float | None:
    """The value of a traced number (a dict with ``value``), or None."""
    return number_or_none(traced.get("value")) if isinstance(traced, dict) else None
