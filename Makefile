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

lint: node_modules/.package-lock.json  ## ruff + pylint-odoo (venv) + prettier + eslint (same rules as .pre-commit-config.yaml)
	$(PYTHON) tools/clinic.py lint
	npx prettier --check "addons/*/static/**/*.{js,scss}"
	npx eslint "addons/*/static/**/*.js"

node_modules/.package-lock.json: package.json package-lock.json  ## JS tools, pinned (npm registry)
	npm ci --no-audit --no-fund

bench:          ## benchmarks of SPEC section P (prints figures)
	$(PYTHON) tools/clinic.py bench $(ARGS)

demo-calls:     ## play realistic PBX calls into the running `make run` server (cards pop up)
	$(PYTHON) tools/clinic.py demo-calls --pbx demo $(ARGS)
