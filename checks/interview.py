"""The on-site interview: what the consultant asked, because the network cannot show it.

The questions live in :mod:`checks.questions`. Answers come from a TOML file the consultant
wrote (:func:`load_answers`) or from asking on site (:func:`ask`), and are kept in the
assessment folder as ``interview.json`` (:func:`save_answers`, :func:`load_saved_answers`).

A key that is absent was not asked; the value ``"dont_know"`` means it was asked and nobody
knew. Both are read with :func:`answer`, which returns None for either, and told apart with
:func:`answer_state`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from checks.questions import (
    BY_KEY,
    DONT_KNOW,
    QUESTIONS,
    Question,
    from_text,
    hint,
    normalise,
    to_text,
)
from scanner.folder import FolderError, read_json, write_json_atomic

INTERVIEW_FILE = "interview.json"
SKIP = "-"  # typed at the prompt: leave the question unanswered ("not asked")
MAX_ATTEMPTS = 5

Prompt = Callable[[str, str], str]
"""``prompt(text, default) -> typed answer``; an empty answer means "take the default"."""


class InterviewError(ValueError):
    """An answers file that cannot be used; the message is one line naming file and field."""


def _key_line(text: str, key: str) -> int | None:
    """The line where ``key`` is assigned (or opens a table) in a flat TOML file."""
    quoted = re.escape(key)
    pattern = re.compile(rf"""^\s*(?:\[\s*)?(?:{quoted}|"{quoted}"|'{quoted}')\s*[=\]]""")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def _syntax_error(path: Path, text: str, exc: tomllib.TOMLDecodeError) -> InterviewError:
    message = str(exc)
    where = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if where is None:
        return InterviewError(f"{path}: not valid TOML ({message})")
    line, column = int(where.group(1)), int(where.group(2))
    lines = text.splitlines()
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    key = re.match(r"""\s*["']?([A-Za-z0-9_\-]+)["']?\s*=""", source)
    field = f", field {key.group(1)!r}" if key else ""
    reason = message[:where.start()].strip()
    return InterviewError(f"{path}, line {line}{field}: not valid TOML ({reason} at column "
                          f"{column})")


def validate_answers(data: Mapping[str, Any], where: str, text: str | None = None
                     ) -> dict[str, Any]:
    """The normalised answers, or :class:`InterviewError` naming ``where``, line and field.

    ``text`` is the file's text, used to find the line of a bad key (TOML files); JSON files
    pass None and the error names only the field.
    """
    answers: dict[str, Any] = {}
    for key, value in data.items():
        line = _key_line(text, key) if text is not None else None
        at = f"{where}, line {line}" if line else where
        question = BY_KEY.get(key)
        if question is None:
            raise InterviewError(f"{at}: unknown field {key!r} (known: {', '.join(BY_KEY)})")
        try:
            answers[key] = normalise(question, value)
        except ValueError as exc:
            raise InterviewError(f"{at}, field {key!r}: {exc} (got {value!r:.60})") from None
    return answers


def load_answers(path: Path) -> dict[str, Any]:
    """The validated, normalised answers in a TOML file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InterviewError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InterviewError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(path, text, exc) from None
    return validate_answers(data, str(path), text)


def save_answers(folder: Path, answers: Mapping[str, Any]) -> Path:
    """Validate ``answers`` and write them as the folder's ``interview.json``, atomically.

    Nothing else in the folder is touched.
    """
    path = folder / INTERVIEW_FILE
    valid = validate_answers(answers, str(path))
    ordered = {question.key: valid[question.key] for question in QUESTIONS
               if question.key in valid}
    write_json_atomic(path, ordered)
    return path


def load_saved_answers(folder: Path) -> dict[str, Any]:
    """The answers saved in the folder's ``interview.json``; {} when there are none yet."""
    path = folder / INTERVIEW_FILE
    if not path.exists():
        return {}
    try:
        data = read_json(path)
    except FolderError as exc:
        raise InterviewError(str(exc)) from None
    if not isinstance(data, dict):
        raise InterviewError(f"{path}: expected a JSON object")
    return validate_answers(data, str(path))


def prompt_text(question: Question) -> str:
    """The question as shown at the prompt, with its help and what an answer looks like."""
    help_line = f"  ({question.help})\n" if question.help else ""
    return (f"{help_line}{question.text} [{hint(question)}; ? = don't know, "
            f"{SKIP} = skip]")


def ask(prompt: Prompt, defaults: Mapping[str, Any] | None = None,
        questions: tuple[Question, ...] = QUESTIONS) -> dict[str, Any]:
    """Ask each question through ``prompt`` and return the normalised answers.

    The default offered is ``defaults[key]`` (e.g. the answers saved earlier), else the
    question's own default. An empty answer takes the default, or leaves the question
    unanswered when there is none; ``-`` skips it; ``?`` records "don't know". An answer that
    cannot be read is asked again with the reason, up to :data:`MAX_ATTEMPTS` times.
    """
    defaults = defaults or {}
    answers: dict[str, Any] = {}
    for question in questions:
        default = defaults.get(question.key, question.default)
        default_text = "" if default is None else to_text(question, default)
        problem = ""
        for _attempt in range(MAX_ATTEMPTS):
            typed = prompt(f"{problem}{prompt_text(question)}", default_text).strip()
            typed = typed or default_text
            if typed in ("", SKIP):
                break
            try:
                answers[question.key] = from_text(question, typed)
                break
            except ValueError as exc:
                problem = f"Not understood ({exc}).\n"
        else:
            raise InterviewError(f"interview, field {question.key!r}: no usable answer after "
                                 f"{MAX_ATTEMPTS} attempts")
    return answers


def answer(answers: Mapping[str, Any], key: str) -> Any:
    """The answer to ``key``, or None when it was not asked or nobody knew."""
    value = answers.get(key)
    return None if value == DONT_KNOW else value


def answer_state(answers: Mapping[str, Any], key: str) -> str:
    """``answered``, ``dont_know`` or ``not_asked``."""
    if key not in answers:
        return "not_asked"
    return "dont_know" if answers[key] == DONT_KNOW else "answered"
