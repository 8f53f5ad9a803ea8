"""A scan killed between writing a temp file and renaming it leaves the temp file: the resume
removes exactly those, and nothing else."""

from __future__ import annotations

from pathlib import Path

from scanner.folder import remove_stale_temporaries, write_json_atomic


def test_only_temporaries_are_removed(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    write_json_atomic(tmp_path / "inventory.json", {"hosts": []})
    stale = [tmp_path / ".inventory.json.k2j_x9q1", evidence / ".nmap-sweep-udp.xml.c9d_9tdp"]
    kept = [tmp_path / "inventory.json", tmp_path / ".hidden-notes", evidence / "snmp.json",
            evidence / ".keep", tmp_path / "notes.json.abcdefgh"]
    for path in [*stale, *kept[1:]]:
        path.write_text("x")
    assert remove_stale_temporaries(tmp_path) == 2
    assert not any(path.exists() for path in stale)
    assert all(path.exists() for path in kept)
    assert remove_stale_temporaries(tmp_path / "missing") == 0
