"""The interview: the question table, answers files with line-numbered errors, ask(), saving."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checks import interview as interview_module
from checks.interview import (
    INTERVIEW_FILE,
    InterviewError,
    answer,
    answer_state,
    ask,
    load_answers,
    load_saved_answers,
    save_answers,
)
from checks.questions import BY_KEY, DONT_KNOW, QUESTIONS, Kind, from_text, to_text

DEMO = Path(__file__).parents[1] / "lab" / "interview.toml"
REQUIRED_KEYS = {"company", "industry", "regulation", "employees", "computer_users", "sites",
                 "remote_workers", "current_support", "monthly_it_spend",
                 "downtime_cost_per_hour", "annual_revenue", "last_outage", "offsite_backup",
                 "cloud_backup", "last_restore_test", "av_product", "ups_devices",
                 "email_platform", "line_of_business_apps"}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_table_covers_the_brief_and_every_question_is_documented() -> None:
    assert REQUIRED_KEYS <= set(BY_KEY)
    assert len(BY_KEY) == len(QUESTIONS), "keys are unique"
    for question in QUESTIONS:
        assert question.text.endswith("?"), question.key
        assert DONT_KNOW not in question.choices, "don't know is allowed everywhere, not listed"
        if question.kind in (Kind.CHOICE, Kind.CHOICES):
            assert question.choices, question.key
    assert set(BY_KEY["current_support"].choices) == {
        "none", "staff_member", "friend_or_relative", "break_fix", "in_house_it", "another_msp"}
    assert set(BY_KEY["email_platform"].choices) == {"microsoft365", "google", "onprem_exchange",
                                                     "other"}
    assert set(BY_KEY["regulation"].choices) == {"hipaa", "pci", "legal", "none"}


def test_the_demo_interview_loads() -> None:
    answers = load_answers(DEMO)
    assert answers["computer_users"] == 17 and answers["current_support"] == "break_fix"
    assert answers["regulation"] == ["hipaa", "pci"]
    assert answers["offsite_backup"] == DONT_KNOW and answers["last_restore_test"] == "never"
    json.dumps(answers)  # JSON-ready as loaded


def test_values_are_normalised(tmp_path: Path) -> None:
    answers = load_answers(_write(tmp_path, """
regulation = "HIPAA, pci"
current_support = "Break-Fix"
offsite_backup = true
cloud_backup = "No"
last_restore_test = 2024-03-01
last_outage = 2023-11-20
ups_devices = "server, firewall"
line_of_business_apps = "none"
downtime_cost_per_hour = 1250.5
"""))
    assert answers == {"regulation": ["hipaa", "pci"], "current_support": "break_fix",
                       "offsite_backup": "yes", "cloud_backup": "no",
                       "last_restore_test": "2024-03-01", "last_outage": "2023-11-20",
                       "ups_devices": ["server", "firewall"], "line_of_business_apps": [],
                       "downtime_cost_per_hour": 1250.5}


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.key)
def test_dont_know_is_an_answer_distinct_from_not_asked(tmp_path: Path, question) -> None:
    answers = load_answers(_write(tmp_path, f'{question.key} = "dont_know"\n'))
    assert answers == {question.key: DONT_KNOW}
    assert answer(answers, question.key) is None
    assert answer_state(answers, question.key) == "dont_know"
    assert answer_state({}, question.key) == "not_asked"
    assert from_text(question, "?") == DONT_KNOW
    assert from_text(question, to_text(question, DONT_KNOW)) == DONT_KNOW


@pytest.mark.parametrize(("text", "expected"), [
    ('company = "A"\nemployees = 12\ncolour = "blue"\n',
     "line 3: unknown field 'colour'"),
    ('company = "A"\nemployees = "twelve"\n',
     "line 2, field 'employees': expected a whole number"),
    ('employees = 12.5\n', "line 1, field 'employees': expected a whole number"),
    ('\n\nsites = -1\n', "line 3, field 'sites': must not be negative"),
    ('current_support = "break/fix contractor"\n',
     "line 1, field 'current_support': expected one of: none, staff_member, friend_or_relative"),
    ('regulation = ["none", "hipaa"]\n', "line 1, field 'regulation': expected one or more"),
    ('last_restore_test = "2024-02-30"\n', "line 1, field 'last_restore_test': "),
    ('last_restore_test = "last spring"\n', "field 'last_restore_test': expected a date"),
    ('offsite_backup = "maybe"\n', "field 'offsite_backup': expected yes, no or dont_know"),
    ('company = "A"\n[employees]\ncount = 3\n', "line 2, field 'employees'"),
    ('company = "A"\nemployees = = 3\n', "line 2, field 'employees': not valid TOML"),
    ('company = "A\n', "line 1, field 'company': not valid TOML"),
])
def test_a_bad_file_gets_one_line_naming_file_line_and_field(tmp_path: Path, text: str,
                                                             expected: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InterviewError) as error:
        load_answers(path)
    message = str(error.value)
    assert message.startswith(f"{path}, line ") or message.startswith(f"{path}:")
    assert expected in message
    assert "\n" not in message


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InterviewError, match="file not found"):
        load_answers(tmp_path / "nope.toml")


class ScriptedPrompt:
    """A prompt that answers from a script and records what it was asked."""

    def __init__(self, replies: dict[str, list[str]]) -> None:
        self.replies = {key: list(values) for key, values in replies.items()}
        self.asked: list[tuple[str, str, str]] = []

    def __call__(self, text: str, default: str) -> str:
        key = next(q.key for q in QUESTIONS if q.text in text)
        self.asked.append((key, text, default))
        queue = self.replies.get(key, [])
        return queue.pop(0) if queue else ""


def test_ask_runs_every_question_with_defaults_dont_know_and_skip() -> None:
    prompt = ScriptedPrompt({"company": ["Harbor Dental"], "computer_users": ["18"],
                             "downtime_cost_per_hour": ["$1,800"], "offsite_backup": ["?"],
                             "regulation": ["hipaa, pci"], "line_of_business_apps": ["-"],
                             "ups_devices": ["server, firewall"], "last_restore_test": ["never"]})
    answers = ask(prompt, {"industry": "dental practice", "line_of_business_apps": ["Dentrix"]})
    assert [key for key, _text, _default in prompt.asked] == [q.key for q in QUESTIONS]
    assert answers == {"company": "Harbor Dental", "industry": "dental practice",
                       "regulation": ["hipaa", "pci"], "computer_users": 18, "sites": 1,
                       "downtime_cost_per_hour": 1800, "offsite_backup": DONT_KNOW,
                       "last_restore_test": "never", "ups_devices": ["server", "firewall"]}
    defaults = {key: default for key, _text, default in prompt.asked}
    assert defaults["industry"] == "dental practice" and defaults["sites"] == "1"
    assert defaults["line_of_business_apps"] == "Dentrix"  # offered, then skipped with "-"


def test_ask_asks_again_with_the_reason_until_the_answer_is_usable() -> None:
    prompt = ScriptedPrompt({"employees": ["lots", "-3", "24"]})
    answers = ask(prompt, questions=(BY_KEY["employees"],))
    assert answers == {"employees": 24}
    texts = [text for _key, text, _default in prompt.asked]
    assert texts[1].startswith("Not understood (expected a whole number)")
    assert texts[2].startswith("Not understood (must not be negative)")


def test_ask_gives_up_after_repeated_nonsense() -> None:
    prompt = ScriptedPrompt({"email_platform": ["lotus notes"] * 10})
    with pytest.raises(InterviewError, match="field 'email_platform'"):
        ask(prompt, questions=(BY_KEY["email_platform"],))


def test_save_is_atomic_and_touches_nothing_else(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "inventory.json").write_text('{"keep": true}')
    (tmp_path / "notes.txt").write_text("mine")
    writes = []
    real_write = interview_module.write_json_atomic
    monkeypatch.setattr(interview_module, "write_json_atomic",
                        lambda path, data: (writes.append(path), real_write(path, data)))
    answers = load_answers(DEMO)
    path = save_answers(tmp_path, answers)
    assert path == tmp_path / INTERVIEW_FILE and writes == [path]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["interview.json", "inventory.json",
                                                          "notes.txt"]
    assert (tmp_path / "inventory.json").read_text() == '{"keep": true}'
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert load_saved_answers(tmp_path) == answers


def test_invalid_answers_are_never_saved(tmp_path: Path) -> None:
    with pytest.raises(InterviewError, match="field 'sites'"):
        save_answers(tmp_path, {"sites": "two"})
    assert not (tmp_path / INTERVIEW_FILE).exists()


def test_saved_answers_are_validated_when_read(tmp_path: Path) -> None:
    assert load_saved_answers(tmp_path) == {}
    (tmp_path / INTERVIEW_FILE).write_text('{"employees": -4}')
    with pytest.raises(InterviewError, match="interview.json, field 'employees'"):
        load_saved_answers(tmp_path)
    (tmp_path / INTERVIEW_FILE).write_text('{"employees": ')
    with pytest.raises(InterviewError, match="not valid JSON"):
        load_saved_answers(tmp_path)
