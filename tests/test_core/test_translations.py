"""Every user-visible string has an English translation, and the compiled catalogues are current."""
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from core.cli import CATALOGUES, ROOT, catalogue_sources

METHODS = {".py": "python", ".html": "jinja2", ".txt": "jinja2"}
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2),
            "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def extracted_ids(package):
    ids = set()
    for source in catalogue_sources(package):
        path = ROOT / source
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            method = METHODS.get(file.suffix)
            if method is None or "translations" in file.parts:
                continue
            for _lineno, message, _comments, _context in extract_from_file(
                method, str(file), keywords=KEYWORDS, options={"extensions": "jinja2.ext.i18n"}
            ):
                ids.add(message if isinstance(message, str) else message[0])
    return ids


def catalogue(package, kind):
    path = Path(ROOT, package, "translations", "en", "LC_MESSAGES", f"messages.{kind}")
    if not path.exists():
        return None
    with open(path, "rb") as f:
        return read_po(f) if kind == "po" else read_mo(f)


@pytest.mark.parametrize("package", list(CATALOGUES))
def test_every_string_is_translated_to_english(package):
    ids = extracted_ids(package)
    if not ids:
        pytest.skip(f"{package} has no user-visible strings yet")
    po = catalogue(package, "po")
    assert po is not None, f"run: flask --app app translations update --package {package}"
    translated = {}
    for m in po:
        key = m.id if isinstance(m.id, str) else (m.id[0] if m.id else "")
        if key and "fuzzy" not in m.flags:
            value = m.string if isinstance(m.string, str) else all(m.string)
            if value:
                translated[key] = value
    missing = sorted(ids - set(translated))
    assert not missing, f"{package}: {len(missing)} strings lack English (translations update + fill msgstr): {missing[:10]}"


@pytest.mark.parametrize("package", list(CATALOGUES))
def test_compiled_catalogue_matches_po(package):
    po = catalogue(package, "po")
    if po is None:
        pytest.skip(f"{package} has no catalogue yet")
    mo = catalogue(package, "mo")
    assert mo is not None, f"run: flask --app app translations compile --package {package}"
    po_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in po if m.id and m.string and "fuzzy" not in m.flags}
    mo_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in mo if m.id}
    assert po_ids == mo_ids, f"{package}: .mo is stale; run translations compile"
