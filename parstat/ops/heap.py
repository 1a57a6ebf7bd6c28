"""Start-up's objects out of the garbage collector's way, in the processes that serve imports.

CPython's collector walks every tracked object on each full (oldest-generation) collection.
After start-up that is about 100,000 objects that live as long as the process (modules, Django's
app registry and URL patterns, the rules' grammar, openpyxl's and python-docx's classes). An
import makes tens of thousands of short-lived objects; those that outlive two young collections
while the file is read and stored are promoted, and every so often that sets off a full
collection that walks the start-up objects again: on this 2-core machine about 100 ms each,
13 ms per imported .xlsx on average (bench/import_bench.py, gc.callbacks). :func:`gc.freeze`
moves what is alive at the end of start-up to a generation the collector never walks; objects
made later are collected as before. Python's documentation describes the same call for
pre-forking servers (each gunicorn worker calls it once its application is loaded).
"""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Load the readers' libraries, collect start-up's garbage, and freeze what is left.

    Called once a process is ready to work (parstat/wsgi.py, ``parstat import-batch``); calling
    it again only freezes what was made since."""
    import parstat.imports.readers  # noqa: F401  (openpyxl, python-docx: loaded on first use)

    gc.collect()
    gc.freeze()
