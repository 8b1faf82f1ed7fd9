"""Stage 4, terms: candidates → features → ranking → annotated entries (+ corpus mode).

The folder is not called `extract` so that importing it never hides the public function
learn.extract() behind a subpackage of the same name.
"""
