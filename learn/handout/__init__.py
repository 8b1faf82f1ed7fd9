"""Output: the printable PDF handout (pdf, exercises, reading, strokes, templates/)."""
