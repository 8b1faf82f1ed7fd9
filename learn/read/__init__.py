"""Stage 1, read: files and bytes → clean text and sentences (text, formats, encoding)."""
