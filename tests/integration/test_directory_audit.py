"""The directory audit against the virtual office's Samba AD DC, as a plain domain user.

A real ``sitewalk scan --ad-user`` runs inside the laptop namespace, finds the DC itself (the
scan's LDAP root DSE names the realm; the SRV record is asked of the DC's DNS) and reads the
directory that ``tests/lab/samba_directory.py`` put there. The findings are compared with
``office.json`` → ``directory``. The password must appear in no file, no output and no
process's command line while the scan runs. The negative cases — a wrong password, a DC that
refuses the account, no DC — must each give one clear line while the network assessment
completes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scanner.folder import validate

SITEWALK = str(Path(sys.executable).with_name("sitewalk"))
PASSWORD = "Sitewalk-Audit-2024!"  # tests/lab/samba_directory.py, lab-only
ANSWERS = Path(__file__).parents[1] / "lab" / "interview.toml"


def _env(password: str) -> dict[str, str]:
    return {**os.environ, "SITEWALK_AD_PASSWORD": password}


def _cmdlines_with(secret: bytes) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if secret in (proc / "cmdline").read_bytes():
                found.append(proc.name)
        except OSError:
            continue
    return found


def _run_watched(command: list[str], env: dict[str, str], timeout: float = 600
                 ) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run ``command``, polling every process's command line for the password meanwhile."""
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    leaks: list[str] = []
    while process.poll() is None and time.monotonic() - started < timeout:
        leaks += _cmdlines_with(PASSWORD.encode())
        time.sleep(0.2)
    if process.poll() is None:
        process.kill()
    out, err = process.communicate(timeout=30)
    return subprocess.CompletedProcess(command, process.returncode, out, err), leaks


@pytest.fixture(scope="module")
def audited(office, tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("ad-office") / "assessment"
    truth = office.load_ground_truth()
    started = time.monotonic()
    scan, leaks = _run_watched(
        ["ip", "netns", "exec", office.LAPTOP_NS, SITEWALK, "scan", truth["lan"], "--client",
         "Virtual Office", "--out", str(folder), "--ad-user", truth["directory"]["audit_user"]],
        _env(PASSWORD))
    seconds = time.monotonic() - started
    assert scan.returncode == 0, scan.stderr[-2000:]
    assess = subprocess.run([SITEWALK, "assess", str(folder), "--answers", str(ANSWERS)],
                            capture_output=True, text=True, timeout=120)
    assert assess.returncode == 0, assess.stderr[-2000:]
    report = subprocess.run([SITEWALK, "report", str(folder), "--format", "html", "--output",
                             str(folder / "report.html")], capture_output=True, text=True,
                            timeout=300)
    assert report.returncode == 0, report.stderr[-2000:]
    return {"folder": folder, "truth": truth, "scan": scan, "leaks": leaks,
            "seconds": seconds,
            "directory": json.loads((folder / "directory.json").read_text()),
            "findings": json.loads((folder / "findings.json").read_text())}


def test_the_audit_found_the_dc_and_read_the_directory(audited: dict) -> None:
    directory, truth = audited["directory"], audited["truth"]["directory"]
    validate(directory, "scanner", "directory.schema.json", Path("directory.json"))
    assert directory["status"] == "complete", directory.get("sources")
    assert directory["controller"]["address"] == "192.168.77.10"
    assert "SRV" in directory["controller"]["found_by"]
    assert directory["controller"]["transport"].startswith("LDAP 389 with NTLM")
    assert directory["domain"]["dns_name"] == truth["realm"]
    computers = {c["name"]: [c["operating_system"], c["operating_system_version"]]
                 for c in directory["computers"]}
    assert computers == truth["computers"]
    groups = {g["key"]: sorted(m["name"] for m in g["members"])
              for g in directory["privileged_groups"]}
    assert groups["domain_admins"] == truth["domain_admins"]
    assert [s["account"] for s in directory["gpp_passwords"]] == truth["gpp_cpassword_accounts"]
    policy = directory["password_policy"]
    assert {k: policy[k] for k in truth["password_policy"]} == truth["password_policy"]
    assert "directory audit of ad.office.lan" in audited["scan"].stdout


def test_ad_findings_exactly_as_the_ground_truth_says(audited: dict) -> None:
    got = sorted((f["check_id"], f["status"]) for f in audited["findings"]["findings"]
                 if f["check_id"].startswith("AD-"))
    want = sorted((f["check_id"], f["status"])
                  for f in audited["truth"]["directory"]["expected_findings"])
    assert got == want
    by_id = {f["check_id"]: f for f in audited["findings"]["findings"]}
    truth = audited["truth"]["directory"]
    stale = {line.split(" ")[0] for line in by_id["AD-001"]["evidence"]}
    assert stale == set(truth["stale_users"])
    assert {line.split(" ")[0] for line in by_id["AD-032"]["evidence"]} == \
        set(truth["stale_computers"])
    assert by_id["AD-007"]["evidence"][0].startswith(truth["as_rep_roastable"][0])
    assert by_id["AD-008"]["evidence"][0].startswith(truth["kerberoastable_admins"][0])


def test_end_of_support_names_each_machine_and_never_a_supported_one(audited: dict) -> None:
    truth = audited["truth"]["directory"]
    findings = audited["findings"]["findings"]
    got = sorted((f["check_id"], f["status"], f["ip"] or "") for f in findings
                 if f["check_id"] in ("SRV-001", "SRV-002"))
    want = sorted((f["check_id"], f["status"], f["ip"] or "")
                  for f in truth["expected_support_findings"])
    assert got == want
    ad037 = next(f for f in findings if f["check_id"] == "AD-037")
    named = {line.split(" ")[0] for line in ad037["evidence"] if " (Windows" in line}
    assert named == set(truth["unsupported_computers"])
    failed_text = " ".join(line for f in findings if f["status"] == "FAIL"
                           and f["check_id"] in ("SRV-001", "SRV-002", "AD-037")
                           for line in f["evidence"] + [f["message"]])
    for supported in truth["supported_computers"]:
        assert supported not in failed_text, f"{supported} is supported"


def test_the_password_is_nowhere(office, audited: dict) -> None:
    assert audited["leaks"] == [], "the password was in a process's command line"
    secret = PASSWORD.encode()
    for path in audited["folder"].rglob("*"):
        if path.is_file():
            assert secret not in path.read_bytes(), path
    assert PASSWORD not in audited["scan"].stdout + audited["scan"].stderr
    for log in (office.state_dir / "logs").glob("*"):
        if log.is_file():
            assert secret not in log.read_bytes(), log


def test_how_long_the_audit_takes(audited: dict) -> None:
    directory = audited["directory"]
    print(f"\nscan + directory audit {audited['seconds']:.1f} s; the audit itself "
          f"{directory['duration_seconds']:.2f} s")
    assert directory["duration_seconds"] < 30


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("sitewalk:")
             and "warning: no authorisation" not in line]
    assert len(lines) == 1, stderr
    return lines[0]


def test_a_wrong_password_is_one_line_and_the_scan_completes(office, tmp_path: Path) -> None:
    folder = tmp_path / "wrong"
    scan, _ = _run_watched(
        ["ip", "netns", "exec", office.LAPTOP_NS, SITEWALK, "scan", "192.168.77.10",
         "--profile", "quick", "--client", "Virtual Office", "--out", str(folder),
         "--ad-user", "OFFICE\\audit"], _env("not-the-password"), timeout=300)
    assert scan.returncode == 1
    assert "refused the account's name or password" in _one_error_line(scan.stderr)
    assert json.loads((folder / "inventory.json").read_text())["complete"] is True
    assess = subprocess.run([SITEWALK, "assess", str(folder), "--answers", str(ANSWERS)],
                            capture_output=True, text=True, timeout=120)
    assert assess.returncode == 0, assess.stderr
    findings = json.loads((folder / "findings.json").read_text())["findings"]
    ad = [f for f in findings if f["check_id"].startswith("AD-")]
    assert ad and all(f["status"] == "UNKNOWN" and "refused" in f["reason"] for f in ad)


def test_a_refused_account_is_one_line(office, tmp_path: Path) -> None:
    """old.intern is disabled: the DC refuses the bind although the password is right."""
    done = subprocess.run(
        ["ip", "netns", "exec", office.LAPTOP_NS, SITEWALK, "ad-audit", str(tmp_path),
         "--ad-user", "OFFICE\\old.intern", "--dc", "192.168.77.10"],
        env=_env("Office-Lab-2024!pw"), capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "refused the bind: the account is disabled" in _one_error_line(done.stderr)


def test_no_dc_is_one_line_and_the_scan_completes(office, tmp_path: Path) -> None:
    """Only the NAS is scanned: no controller in the scan, no SRV record at the resolver."""
    folder = tmp_path / "nodc"
    scan, _ = _run_watched(
        ["ip", "netns", "exec", office.LAPTOP_NS, SITEWALK, "scan", "192.168.77.20",
         "--profile", "quick", "--client", "Virtual Office", "--out", str(folder),
         "--ad-user", "audit@ad.office.lan"], _env(PASSWORD), timeout=300)
    assert scan.returncode == 1
    assert "no domain controller found" in _one_error_line(scan.stderr)
    assert json.loads((folder / "inventory.json").read_text())["complete"] is True
    unreachable = subprocess.run(
        ["ip", "netns", "exec", office.LAPTOP_NS, SITEWALK, "ad-audit", str(folder),
         "--ad-user", "audit@ad.office.lan", "--dc", "192.168.77.20"],
        env=_env(PASSWORD), capture_output=True, text=True, timeout=120)
    assert unreachable.returncode == 1
    assert "no LDAP answer from 192.168.77.20" in _one_error_line(unreachable.stderr)
