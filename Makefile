# Two commands a newcomer needs (see README.md):
#   make lab    create the environment on first use, then open the series in JupyterLab
#   make test   create the environment on first use, then run the docstring examples of helpers, the unit
#               tests and nbval on every notebook
# Both are idempotent: the environment is rebuilt only when pyproject.toml changes.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
# Training notebooks run in quick mode under test (small subset, few epochs): see docs/testing.md, "Quick mode".
TEST_ENV = CNN_QUICK=1 TF_CPP_MIN_LOG_LEVEL=3 PYTHONHASHSEED=0

.PHONY: lab test test-unit test-notebooks env bench clean notebooks notebooks-full setup-cells \
        slides student handouts classroom

env: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed, found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Extra JupyterLab options, e.g. make lab LAB_ARGS="--no-browser --port 8899". As root (containers),
# JupyterLab refuses to start without --allow-root, so it is added then.
LAB_ARGS ?=
ROOT_FLAG = $(if $(filter 0,$(shell id -u)),--allow-root,)
lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) $(LAB_ARGS) notebooks/00_start_here.ipynb

# --doctest-modules runs every ">>>" example in the docstrings of helpers/ (docs/testing.md).
test: $(STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest --doctest-modules helpers tests notebooks --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

test-unit: $(STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest --doctest-modules helpers tests

test-notebooks: $(STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest notebooks --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_ops.py
	$(BIN)/python benchmarks/bench_widgets.py
	$(BIN)/python benchmarks/bench_trace.py
	$(BIN)/python benchmarks/notebook_resources.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-output

# Re-execute notebooks in place and store their outputs, as nbval expects them (NB=path to run one).
NB ?= notebooks/*.ipynb
notebooks: $(STAMP)
	for nb in $(NB); do \
	  $(TEST_ENV) $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.store_widget_state=False --ExecutePreprocessor.timeout=1200 "$$nb" || exit 1; \
	done

# Training lessons are stored from a full run (what a learner gets); nbval re-runs them in quick
# mode and compares only their deterministic cells (training outputs are tagged nbval-ignore-output).
notebooks-full: $(STAMP)
	for nb in $(NB); do \
	  TF_CPP_MIN_LOG_LEVEL=3 PYTHONHASHSEED=0 $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.store_widget_state=False --ExecutePreprocessor.timeout=3600 "$$nb" || exit 1; \
	done

# Rewrite every notebook's set-up cell and Colab badge, and the README's badge, from helpers.config
# (after changing REPOSITORY or BRANCH); idempotent. tools/sync_notebooks.py --check only reports.
setup-cells: $(STAMP)
	$(BIN)/python tools/sync_notebooks.py

# Classroom edition (docs/classroom.md): reveal.js decks, student copies without solutions, HTML
# handouts, all made by nbconvert from the stored notebooks into git-ignored folders.
# OFFLINE=1 links a local reveal.js (fetched once with npm into slides/_vendor) instead of the CDN.
CLASSROOM = $(BIN)/python tools/classroom.py
slides: $(STAMP)
	$(CLASSROOM) slides --out slides $(if $(OFFLINE),--offline) $(NB)

student: $(STAMP)
	$(CLASSROOM) audit $(NB)
	$(CLASSROOM) student --out student $(NB)

handouts: $(STAMP)
	$(CLASSROOM) handouts --out handouts $(NB)

classroom: slides student handouts
