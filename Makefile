# sitewalk — set-up, demo and tests on a Debian machine (run as root for the lab).
#
#   make demo    set everything up, build the virtual office, assess it, write the PDF
#   make test    set everything up and run the whole suite (unit + lab integration)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SITEWALK := $(VENV)/bin/sitewalk
DEMO_DIR ?= out/demo
LAB_NS := swlab-laptop
# The virtual office's read-only audit account (lab-only password, tests/lab/README.md).
LAB_AD_USER := audit@ad.office.lan
LAB_AD_PASSWORD := Sitewalk-Audit-2024!

# Debian packages: what sitewalk needs at run time, and what the tests and the virtual
# office need on top of it.
RUNTIME_APT := nmap smbclient rsync iproute2 libpcap0.8 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	fonts-dejavu-core fonts-liberation2
TEST_APT := poppler-utils chromium tcpdump util-linux postgresql $(shell cat tests/lab/apt-packages.txt 2>/dev/null)

.PHONY: setup system-packages python-env demo test lint lab-up lab-down clean

setup: system-packages python-env

# Idempotent: apt runs only when a package is missing. policy-rc.d stops Debian's postinst
# scripts from starting the lab's daemons (samba, snmpd …) in this machine's own namespace;
# it is removed again only if this target created it.
system-packages:
	@missing=$$(for p in $(RUNTIME_APT) $(TEST_APT); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		created=; if [ ! -e /usr/sbin/policy-rc.d ]; then \
			printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; created=1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends -o DPkg::Lock::Timeout=600 $$missing; status=$$?; \
		[ -n "$$created" ] && rm -f /usr/sbin/policy-rc.d; exit $$status; \
	fi

python-env: $(VENV)/.installed

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	@# setuptools' namespace-package warnings about the data folders are noise: keep the log,
	@# show it only when the install fails.
	$(PY) -m pip install -q -e '.[test]' > $(VENV)/pip-install.log 2>&1 || \
		{ cat $(VENV)/pip-install.log; exit 1; }
	touch $@

# The virtual office is always torn down, even when a step fails.
demo: setup
	@set -e; \
	trap '$(PY) -m tests.lab down' EXIT; \
	$(PY) -m tests.lab up --force; \
	rm -rf $(DEMO_DIR); \
	start=$$(date +%s); \
	SITEWALK_AD_PASSWORD='$(LAB_AD_PASSWORD)' ip netns exec $(LAB_NS) $(SITEWALK) scan 192.168.77.0/24 \
		--client "Harbor Dental Group" --out $(DEMO_DIR) --ad-user $(LAB_AD_USER) \
		--authorised-by "Dr. Maria Chen, practice owner" --authorised-on $$(date +%F) \
		--authorisation-ref "signed engagement letter (virtual office demo)"; \
	$(SITEWALK) assess $(DEMO_DIR) --answers tests/lab/interview.toml; \
	$(SITEWALK) report $(DEMO_DIR) --format html --output $(DEMO_DIR)/report.html >/dev/null; \
	pdf=$$($(SITEWALK) report $(DEMO_DIR) --format pdf --output $(DEMO_DIR)/report.pdf); \
	echo "Scan, assessment and report took $$(( $$(date +%s) - start )) s."; \
	echo "PDF report: $$(realpath $$pdf)"

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q

lint: python-env
	$(VENV)/bin/ruff check .

lab-up: setup
	$(PY) -m tests.lab up --force

lab-down:
	$(PY) -m tests.lab down

clean:
	rm -rf out .pytest_cache .ruff_cache
