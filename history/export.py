"""Writing a stored assessment back out as an assessment folder.

The folder gets ``inventory.json``, ``findings.json`` and, when there was one,
``interview.json``, written atomically, so ``sitewalk report FOLDER`` renders it again and
``sitewalk assess FOLDER`` can re-run the checks. The raw evidence (nmap XML, SNMP answers)
is not kept in the history, and SNMP communities were removed on the way in: the exported
inventory has empty ``snmp.community`` fields.
"""

from __future__ import annotations

from pathlib import Path

from history.documents import FINDINGS_FILE, INTERVIEW_FILE, INVENTORY_FILE
from history.errors import BadInput
from history.queries import get_assessment
from history.store import Store
from scanner.folder import write_json_atomic


def export_assessment(store: Store, assessment_id: int, folder: Path, *,
                      overwrite: bool = False) -> Path:
    """Write assessment ``assessment_id`` into ``folder``; the folder.

    An existing folder is written into only when it holds no assessment yet, or when
    ``overwrite`` is set.
    """
    if folder.exists() and not folder.is_dir():
        raise BadInput(f"{folder}: exists and is not a folder")
    existing = [name for name in (INVENTORY_FILE, FINDINGS_FILE) if (folder / name).exists()]
    if existing and not overwrite:
        raise BadInput(f"{folder}: already holds {existing[0]} (pass --force to overwrite)")
    stored = get_assessment(store, assessment_id)
    folder.mkdir(parents=True, exist_ok=True)
    write_json_atomic(folder / INVENTORY_FILE, stored.documents.inventory)
    write_json_atomic(folder / FINDINGS_FILE, stored.documents.findings)
    if stored.documents.interview is not None:
        write_json_atomic(folder / INTERVIEW_FILE, stored.documents.interview)
    elif (folder / INTERVIEW_FILE).exists() and overwrite:
        (folder / INTERVIEW_FILE).unlink()
    return folder
