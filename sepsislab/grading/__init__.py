"""Class grading for the exercise notebooks: ``sepsislab-grade`` (see :mod:`.cli`).

Student code runs only in a fresh, resource-limited kernel per notebook
(:mod:`.runner`, :mod:`.sandbox`); answers leave it as plain data
(:mod:`.extract`) and are scored in the grader's own process (:mod:`.grade`)
against the reference implementation and the hidden tests, which are read from
the exercise sources; no expected answer ever enters the student's kernel.
"""

import sys

# jsonschema (imported by nbformat) loads rfc3987_syntax when it is installed, which builds a
# grammar for 2.5 s at import; nbformat never validates IRIs, so grading does without it.
# Here, once: this runs before any module of the package imports nbformat.
sys.modules.setdefault("rfc3987_syntax", None)
