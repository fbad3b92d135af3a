"""Class grading for the exercise notebooks: ``sepsislab-grade`` (see :mod:`.cli`).

Student code runs only in a fresh, resource-limited kernel per notebook
(:mod:`.runner`, :mod:`.sandbox`); answers leave it as plain data
(:mod:`.extract`) and are scored in the grader's own process (:mod:`.grade`)
against the reference implementation and the hidden tests, which are read from
the exercise sources; no expected answer ever enters the student's kernel.
"""
