"""Class grading for the exercise notebooks: ``sepsislab-grade`` (see :mod:`.cli`).

Every submission is hostile data. It is read without following links and with its
size capped (:mod:`.intake`); its code is read with :mod:`ast` in the grader's process
for the flags (:mod:`.source`); it runs in a fresh kernel inside a bubblewrap sandbox
with a cgroup for the whole notebook (:mod:`.runner`, :mod:`.sandbox`,
:mod:`.isolation`), where neither the question bank nor this package can be imported;
its answers come out as capped plain data and are scored here (:mod:`.grade`) against
the reference implementation and the hidden tests. Nothing computed in the kernel
decides a score or a flag.
"""
