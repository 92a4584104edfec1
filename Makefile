# One command each; see README.md.
PYTHON ?= python3

.PHONY: run setup test lint bench demo-calls

run:            ## set everything up and serve http://localhost:8069
	$(PYTHON) tools/clinic.py run

setup:          ## prerequisites + database "clinic" with demo data, no server
	$(PYTHON) tools/clinic.py setup

test:           ## fresh test database, every test incl. tours in headless Chromium
	$(PYTHON) tools/clinic.py test $(ARGS)

lint:           ## ruff + pylint-odoo + prettier + eslint (same rules as .pre-commit-config.yaml)
	ruff check addons tools tests bench conftest.py
	$(PYTHON) -m pylint --rcfile=.pylintrc addons/*/
	npx prettier --check "addons/*/static/**/*.{js,scss}"
	npx eslint "addons/*/static/**/*.js"

lint: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json  ## JS tools, pinned (npm registry)
	npm ci --no-audit --no-fund

bench:          ## benchmarks of SPEC section P (prints figures)
	$(PYTHON) bench/run.py $(ARGS)

demo-calls:     ## play realistic PBX calls into the running `make run` server (cards pop up)
	$(PYTHON) -m odoo --addons-path=addons clinic-simulate -c odoo.conf -d $${CLINIC_DB:-clinic} --pbx demo $(ARGS)
