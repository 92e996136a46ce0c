"""Modal screens: small questions over another screen (pick a language, write a note,
save a word, confirm, add an article from the web)."""
