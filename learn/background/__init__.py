"""Stage 3, background: phrase statistics of a corpus.

model looks phrases up in a built file; build (with count, and dask for a cluster) makes one.
"""
