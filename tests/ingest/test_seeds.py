"""Reading raw seeds: strict decoding, clear errors, and the decisions recorded for BOM and CRLF."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from corpus.errors import SeedError
from corpus.ingest.seeds import decode_seed, iter_seeds, line_endings_of, read_seed, refuse_duplicate, seed_names

TEXT = "Заголовок\nRussia and the US held talks on Friday.\n"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"  \n\n\t ", "empty"),
        (TEXT.encode("cp1251"), "cp1251"),
        (TEXT.encode("utf-16"), "UTF-16"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "UTF-16"),
        (TEXT.encode("utf-16-le"), "NUL"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL"),
        (bytes(range(1, 32)) * 20, "control characters"),
    ],
    ids=["empty", "whitespace", "cp1251", "utf16-bom-le", "utf16-bom-be", "utf16-no-bom", "png", "controls"],
)
def test_bad_seed_is_refused_with_the_file_named(raw: bytes, message: str) -> None:
    with pytest.raises(SeedError, match=message) as info:
        decode_seed("bad.txt", raw)
    assert "seeds/bad.txt" in str(info.value)


def test_cp1251_error_names_the_line() -> None:
    raw = b"first line\nsecond line\n" + "третья".encode("cp1251")
    with pytest.raises(SeedError, match=r"line 3 \(byte 23\)"):
        decode_seed("bad.txt", raw)


@pytest.mark.parametrize("name", ["../x.txt", "x.md", ".hidden.txt", "a b.txt", "sub/x.txt"])
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(SeedError, match="rename"):
        decode_seed(name, TEXT.encode())


def test_bom_is_kept_as_character_zero_and_recorded() -> None:
    seed = decode_seed("bom.txt", b"\xef\xbb\xbf" + TEXT.encode())
    assert seed.bom
    assert seed.text[0] == "\ufeff"
    assert seed.text[1:] == TEXT


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a\nb\n", "lf"), ("a\r\nb\r\n", "crlf"), ("a\rb", "cr"), ("a\r\nb\n", "mixed"), ("ab", "none")],
)
def test_line_endings(text: str, expected: str) -> None:
    assert line_endings_of(text) == expected


def test_crlf_is_decoded_without_normalisation() -> None:
    raw = TEXT.replace("\n", "\r\n").encode()
    seed = decode_seed("crlf.txt", raw)
    assert seed.line_endings == "crlf"
    assert seed.text.encode() == raw  # offsets index the exact text


def test_hash_and_size_are_of_the_raw_bytes(repo) -> None:  # type: ignore[no-untyped-def]
    for seed in iter_seeds(repo.seeds):
        raw = (repo.seeds / seed.name).read_bytes()
        assert seed.size == len(raw)
        assert seed.sha256 == hashlib.sha256(raw).hexdigest()


def test_duplicate_content_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    with pytest.raises(SeedError, match=r"seeds/b.txt: same bytes as seeds/a.txt"):
        list(iter_seeds(tmp_path))


@pytest.mark.parametrize("entry", ["notes.md", "folder"])
def test_unexpected_entries_in_seeds_are_refused(tmp_path: Path, entry: str) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    if entry == "folder":
        (tmp_path / entry).mkdir()
    else:
        (tmp_path / entry).write_text("x", encoding="utf-8")
    with pytest.raises(SeedError, match=entry):
        seed_names(tmp_path)


def test_refuse_duplicate_names_both_seeds() -> None:
    seen: dict[str, str] = {}
    refuse_duplicate(seen, "000_a.txt", "ab" * 32)
    refuse_duplicate(seen, "001_b.txt", "cd" * 32)
    with pytest.raises(SeedError, match=r"seeds/002_c.txt: same bytes as seeds/000_a.txt \(sha256 abababababab…\)"):
        refuse_duplicate(seen, "002_c.txt", "ab" * 32)
    assert seen == {"ab" * 32: "000_a.txt", "cd" * 32: "001_b.txt"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (TEXT.encode("utf-32"), r"UTF-32 \(little-endian\) \(byte-order mark fffe0000\).*iconv -f UTF-32 -t UTF-8"),
        (b"\x00\x00\xfe\xff" + TEXT.encode("utf-32-be"), r"UTF-32 \(big-endian\).*iconv -f UTF-32 -t UTF-8"),
        (TEXT.encode("utf-32-le"), r"looks like UTF-32LE text without a byte-order mark.*iconv -f UTF-32LE -t UTF-8"),
        (TEXT.encode("utf-16-be"), r"looks like UTF-16BE text.*iconv -f UTF-16BE -t UTF-8"),
        (TEXT.encode("utf-16"), r"UTF-16 \(little-endian\).*iconv -f UTF-16 -t UTF-8"),
    ],
    ids=["utf32-bom-le", "utf32-bom-be", "utf32-no-bom", "utf16be-no-bom", "utf16-bom"],
)
def test_utf32_and_utf16_are_named_with_the_right_iconv_hint(raw: bytes, message: str) -> None:
    with pytest.raises(SeedError, match=message):
        decode_seed("wide.txt", raw)


def test_a_seed_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_bytes(b"x" * 2000)
    with pytest.raises(SeedError, match=r"seeds/big\.txt: the file is over the maximum seed size of 1,000 bytes"):
        read_seed(tmp_path, "big.txt", max_bytes=1000)
    assert read_seed(tmp_path, "big.txt", max_bytes=2000).size == 2000
