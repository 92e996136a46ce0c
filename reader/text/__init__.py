"""Text below the library: sentences, alignment of parallel texts, line breaking by
script, bidirectional display.

Pure functions on strings, no Textual and no I/O. Heavy modules (sentencex, ICU,
python-bidi, arabic-reshaper) are imported lazily inside the functions that need them,
so importing this package costs nothing at start-up.
"""
