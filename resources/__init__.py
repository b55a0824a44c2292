"""Bundled data: sample tables (the two seed documents), icons, translations."""
