"""Stage 2, language: dictionaries and readings (lexicon, pinyin, notation, segment)."""
