# One command each; see README.md. Every target runs inside a virtualenv
# (tools/clinic.py creates .venv with $(PYTHON) unless one is active).
PYTHON ?= python3

.PHONY: run setup test lint bench demo-calls

run:            ## set everything up and serve http://localhost:8069
	$(PYTHON) tools/clinic.py run

setup:          ## .venv + prerequisites + database "clinic" with demo data, no server
	$(PYTHON) tools/clinic.py setup

test:           ## fresh test database, every test incl. tours in headless Chromium
	$(PYTHON) tools/clinic.py test $(ARGS)

lint:           ## ruff + pylint-odoo (same rules as .pre-commit-config.yaml)
	$(PYTHON) tools/clinic.py lint

bench:          ## benchmarks of SPEC section P (prints figures)
	$(PYTHON) tools/clinic.py bench $(ARGS)

demo-calls:     ## play realistic PBX calls into the running `make run` server (cards pop up)
	$(PYTHON) tools/clinic.py demo-calls --pbx demo $(ARGS)
