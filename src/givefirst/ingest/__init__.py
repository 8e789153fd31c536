"""Parsers and normalisers: text in, clean records out. No database here."""
