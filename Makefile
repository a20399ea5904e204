# Two commands for a newcomer:
#   make demo   - create .venv, install, train the best one-minute digits recipe,
#                 write a sample grid, a .keras model and a SavedModel export.
#                 Again, replacing them: make demo OVERWRITE=1
#   make test   - create .venv, install with test extras, run the suite on the
#                 TensorFlow, JAX and PyTorch backends, one after the other
#                 (make test-tf, test-jax, test-torch run one of them). Tests
#                 marked backend_independent run in the TensorFlow pass only
#                 (conftest.py).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?= -n 2
# make demo OVERWRITE=1 replaces the outputs of an earlier demo.
OVERWRITE ?=

.PHONY: venv demo test test-tf test-jax test-torch bench clean

venv: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) examples/demo.py --out demo_out $(if $(OVERWRITE),--overwrite,)

test: test-tf test-jax test-torch

test-tf: $(STAMP)
	KERAS_BACKEND=tensorflow $(PY) -m pytest -q $(PYTEST_ARGS)

test-jax: $(STAMP)
	KERAS_BACKEND=jax $(PY) -m pytest -q $(PYTEST_ARGS)

test-torch: $(STAMP)
	KERAS_BACKEND=torch $(PY) -m pytest -q $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) benchmarks/train_step.py

clean:
	rm -rf $(VENV) demo_out build dist *.egg-info
