# The commands contributors know from pelican-quickstart, with the Python setup hidden behind them.
PELICAN_ARGS ?=

.PHONY: uv html publish test check serve clean lint

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv

html: uv
	uv run pelican content -s pelicanconf.py -o output $(PELICAN_ARGS)

publish: uv
	uv run pelican content -s publishconf.py -o output $(PELICAN_ARGS)

test: uv
	uv run pytest

check: uv
	uv run explainer check

serve: uv
	uv run explainer serve

clean:
	rm -rf output .staging-output-*

lint: uv
	uv run ruff check .
	uv run ruff format --check .
	uv run mypy plugins
