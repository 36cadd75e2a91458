"""Release archives: reproducible, complete, verified before they replace anything; hostile archives refused."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from builder import edit_csv

from corpus.cli import main
from corpus.errors import ReleaseError
from corpus.paths import Layout
from corpus.release.archives import build_archives, zip_bytes
from corpus.release.editions import Member
from corpus.release.verify import verify_archive

REPO = Path(__file__).resolve().parents[2]


def _names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


@pytest.mark.slow
def test_archives_are_reproducible_and_complete(tiny: Layout) -> None:
    full, public = build_archives(tiny, edition="both")
    assert full.name == "us-russia-news-corpus-0.1.0.zip"
    assert public.name == "us-russia-news-corpus-public-0.1.0.zip"
    first = (full.read_bytes(), public.read_bytes())
    assert build_archives(tiny, edition="both") == [full, public]
    assert (full.read_bytes(), public.read_bytes()) == first
    top = "us-russia-news-corpus-0.1.0/"
    assert sorted(_names(full)) == _names(full)
    assert set(_names(full)) == {
        top + n
        for n in (
            "datapackage.json", "data/documents.csv", "data/paragraphs.csv", "data/outlets.csv",
            "data/seed_files.csv", "data/boilerplate.csv", "data/stopwords.csv", "data/codebook.csv",
            "data/mentions.csv", "data/extraction_quality.csv", "data/codebook_rules.csv", "data/codebook_quality.csv",
            "data/quote_quality.csv", "seeds/a.txt", "seeds/b.txt", "README.md",
            "CITATION.cff", "CHANGELOG.md",
            "LICENSES/CC-BY-4.0.txt", "LICENSES/publisher-copyright.txt", "SHA256SUMS", "tables.xlsx",
        )
    }  # fmt: skip
    with zipfile.ZipFile(full) as archive:
        for info in archive.infolist():
            assert info.date_time == (2026, 11, 23, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644
    assert (tiny.dist / (full.name + ".sha256")).read_text().startswith(hashlib.sha256(first[0]).hexdigest())
    assert {p.stat().st_mode & 0o777 for p in tiny.dist.iterdir()} == {0o644}


def test_packaging_refuses_out_of_sync_citation(tiny: Layout) -> None:
    cff = tiny.root / "CITATION.cff"
    cff.write_text(cff.read_text().replace("version: 0.1.0", "version: 9.9.9"))
    with pytest.raises(ReleaseError, match=r"CITATION\.cff is out of sync"):
        build_archives(tiny, edition="full")
    assert not tiny.dist.exists()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["../evil.txt", "pkg/../../evil.txt", "/etc/evil", "pkg\\..\\evil.txt"])
def test_verify_refuses_entries_escaping_the_folder(tmp_path: Path, name: str) -> None:
    path = tmp_path / "bad.zip"
    path.write_bytes(_zip({"pkg/datapackage.json": b"{}", name: b"x"}))
    with pytest.raises(ReleaseError, match="would unpack outside its folder"):
        verify_archive(path)
    assert not (tmp_path / "evil.txt").exists()


def test_verify_refuses_symlink_entries(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("pkg/link")
        info.external_attr = (0o120777) << 16
        archive.writestr(info, "/etc/passwd")
    path = tmp_path / "link.zip"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ReleaseError, match="symbolic link"):
        verify_archive(path)


def test_verify_refuses_a_member_not_matching_sha256sums(tmp_path: Path) -> None:
    descriptor = b'{"resources": [{"name": "t", "path": "data/t.csv"}]}'
    good = zip_bytes(
        [Member("datapackage.json", descriptor), Member("data/t.csv", b"a\n1\n")],
        folder="pkg",
        released=date(2026, 1, 2),
    )
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        entries = {n: archive.read(n) for n in archive.namelist()}
    entries["pkg/data/t.csv"] = b"a\n2\n"
    path = tmp_path / "pkg.zip"
    path.write_bytes(_zip(entries))
    with pytest.raises(ReleaseError, match=r"pkg/data/t\.csv does not match its SHA-256 in SHA256SUMS"):
        verify_archive(path)


def test_verify_refuses_an_unlisted_member(tmp_path: Path) -> None:
    good = zip_bytes([Member("datapackage.json", b"{}")], folder="pkg", released=date(2026, 1, 2))
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        entries = {n: archive.read(n) for n in archive.namelist()}
    entries["pkg/extra.txt"] = b"smuggled"
    path = tmp_path / "pkg.zip"
    path.write_bytes(_zip(entries))
    with pytest.raises(ReleaseError, match=r"SHA256SUMS and the archive's files disagree on \['extra.txt'\]"):
        verify_archive(path)


@pytest.mark.slow
def test_verify_refuses_an_archive_not_matching_its_checksum_file(tiny: Layout) -> None:
    (full,) = build_archives(tiny, edition="full")
    verify_archive(full)
    data = bytearray(full.read_bytes())
    data[-30] ^= 0xFF
    full.write_bytes(bytes(data))
    with pytest.raises(ReleaseError, match=r"its SHA-256 does not match us-russia-news-corpus-0\.1\.0\.zip\.sha256"):
        verify_archive(full)


@pytest.mark.slow
def test_invalid_package_is_not_installed(tiny: Layout) -> None:
    (full,) = build_archives(tiny, edition="full")
    before = full.read_bytes()
    edit_csv(tiny.data / "documents.csv", lambda rows: rows[1].__setitem__(2, "x"))  # article must be an integer
    with pytest.raises(ReleaseError, match="does not validate with Frictionless"):
        build_archives(tiny, edition="full")
    assert full.read_bytes() == before
    assert sorted(p.name for p in tiny.dist.iterdir()) == [full.name, full.name + ".sha256"]  # no temp files left


# --- the real data package -------------------------------------------------------------------------

needs_build = pytest.mark.skipif(
    not (REPO / "datapackage.json").is_file(), reason="datapackage.json not built yet: run `corpus build`"
)


@pytest.fixture(scope="module")
def real_archives(tmp_path_factory: pytest.TempPathFactory) -> tuple[Layout, Path, Path]:
    """Both archives of the real package, built from a copy of the repository (dist/ untouched)."""
    root = tmp_path_factory.mktemp("real") / "repo"
    root.mkdir()
    for name in ("catalog", "data", "seeds", "LICENSES", "releases"):
        shutil.copytree(REPO / name, root / name)
    for name in ("datapackage.json", "pyproject.toml", "README.md", "CITATION.cff", ".zenodo.json", "CHANGELOG.md"):
        shutil.copy(REPO / name, root / name)
    layout = Layout(root)
    full, public = build_archives(layout, edition="both")
    return layout, full, public


def _seed_sentences() -> list[str]:
    """Sentences of 8+ words from the raw seeds, except those inside a published title."""
    rows = list(csv.DictReader(io.StringIO((REPO / "data" / "documents.csv").read_text(encoding="utf-8"))))
    titles = [r[k] for r in rows for k in ("title", "alt_title") if r.get(k)]
    found = []
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        for part in re.split(r"(?<=[.!?…])\s+|\n+", seed.read_text(encoding="utf-8")):
            sentence = " ".join(part.split())
            if len(sentence.split()) >= 8 and not any(sentence in " ".join(t.split()) for t in titles):
                found.append(sentence)
    return found


def _member_text(archive: zipfile.ZipFile, name: str) -> str:
    """A member's text; for the spreadsheet, the text of its cells (unescaped)."""
    import html

    if not name.endswith(".xlsx"):
        return archive.read(name).decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(archive.read(name))) as book:
        return html.unescape(re.sub(r"<[^>]+>", " ", book.read("xl/sharedStrings.xml").decode("utf-8")))


@needs_build
@pytest.mark.slow
def test_real_public_edition_contains_no_sentence_from_the_seeds(real_archives: tuple[Layout, Path, Path]) -> None:
    _, full, public = real_archives
    sentences = _seed_sentences()
    assert len(sentences) > 50  # the five seeds have dozens of body sentences in English and Russian
    with zipfile.ZipFile(public) as archive:
        names = archive.namelist()
        text = " ".join(" ".join(_member_text(archive, n).split()) for n in names)
    with zipfile.ZipFile(full) as archive:
        full_text = " ".join(" ".join(_member_text(archive, n).split()) for n in archive.namelist())
    assert not [n for n in names if "/seeds/" in n]
    assert [s for s in sentences if s in text] == []
    assert len([s for s in sentences if s in full_text]) == len(sentences)  # the search itself works


@needs_build
@pytest.mark.slow
def test_real_archives_are_reproducible_and_verify(real_archives: tuple[Layout, Path, Path]) -> None:
    layout, full, public = real_archives
    before = (full.read_bytes(), public.read_bytes())
    assert build_archives(layout, edition="both") == [full, public]
    assert (full.read_bytes(), public.read_bytes()) == before
    verify_archive(full)
    verify_archive(public)


@needs_build
@pytest.mark.slow
def test_real_public_documents_keep_metadata_and_text_hashes(real_archives: tuple[Layout, Path, Path]) -> None:
    layout, _, public = real_archives
    full_docs = list(csv.DictReader(io.StringIO((layout.data / "documents.csv").read_text(encoding="utf-8"))))
    with zipfile.ZipFile(public) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith("/data/documents.csv")]
        public_docs = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))
    assert len(public_docs) == len(full_docs) >= 6  # the six articles of the five first seeds, at least
    for full_row, public_row in zip(full_docs, public_docs, strict=True):
        assert "text" not in public_row
        assert public_row["text_sha256"] == hashlib.sha256(full_row["text"].encode("utf-8")).hexdigest()
        assert {k: v for k, v in full_row.items() if k != "text"} == public_row


def test_cli_verify_refuses_an_unsafe_archive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.zip"
    path.write_bytes(_zip({"pkg/datapackage.json": b"{}", "pkg/../../escape.txt": b"x"}))
    assert main(["release", "verify", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("corpus release verify: error: bad.zip") and "would unpack outside its folder" in err


def test_python_m_corpus_release_is_the_same_command(tmp_path: Path) -> None:
    """The CITATION.cff header names `python -m corpus.release citation`: it runs `corpus release`."""
    path = tmp_path / "bad.zip"
    path.write_bytes(_zip({"pkg/../escape.txt": b"x"}))
    result = subprocess.run(
        [sys.executable, "-m", "corpus.release", "verify", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert result.stderr.startswith("corpus release verify: error: bad.zip")
