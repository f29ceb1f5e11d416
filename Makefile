# The commands contributors know from pelican-quickstart, with the Python setup hidden behind them.
PELICAN_ARGS ?=

.PHONY: uv html publish test check serve clean lint translations

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

# Theme strings: extract every _() / {% trans %} of the templates (babel.cfg) into the template
# catalog, merge it into each language's .po, and count what is left to translate. The build
# reads the .po files themselves; nothing compiled is committed.
translations: uv
	uv run pybabel extract -F babel.cfg -k N_ --add-location=file --sort-output --omit-header \
		-o theme/translations/messages.pot .
	uv run pybabel update -i theme/translations/messages.pot -d theme/translations \
		--no-fuzzy-matching --ignore-obsolete
	@for po in theme/translations/*/LC_MESSAGES/messages.po; do \
		uv run pybabel compile --statistics -i $$po -o /dev/null; done

lint: uv
	uv run ruff check .
	uv run ruff format --check .
	uv run mypy plugins
