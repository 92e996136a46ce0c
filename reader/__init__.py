"""Polyglot Reader: a keyboard-first terminal reader for multilingual article libraries."""

__version__ = "0.1.0"
