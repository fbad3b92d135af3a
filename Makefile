# Two commands for a fresh machine:  make book   and   make test
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
JOBS ?= 2

.PHONY: book pdf test bench lab clean

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed requirements-test.txt
	$(PY) -m pip install -q -r requirements-test.txt
	touch $@

## make book: build the HTML book (warnings are errors) and print the page to open
book: $(VENV)/.installed
	$(VENV)/bin/jupyter-book build . -W --keep-going
	@echo
	@echo "Open the book: file://$(CURDIR)/_build/html/index.html"

## make pdf: the whole book as one PDF, printed offline by chromium from the built HTML
## (written next to index.html, where the book's download menu links it)
pdf: book $(VENV)/.test-installed
	bash scripts/ensure-chromium.sh
	$(PY) scripts/book_pdf.py

## make test: install the test tools (and chromium and bubblewrap, through apt-get, when missing) and run every test
test: $(VENV)/.test-installed
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-bwrap.sh
	$(PY) -m pytest -n $(JOBS) --dist loadgroup --durations=15

## make bench: speed and size against the targets in DESIGN.md
bench: $(VENV)/.installed
	$(PY) -m sepsislab.bench --json

## make lab: open the pages and exercises as notebooks in JupyterLab
lab: $(VENV)/.installed
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=$(CURDIR)

clean:
	rm -rf _build
