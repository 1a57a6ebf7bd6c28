"""The province's own report: its workflow above the provincial office, the totals it was
approved with, and the package it sends upward (docs/province.md)."""
