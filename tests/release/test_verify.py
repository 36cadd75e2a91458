"""The download verifier trusts nothing: remote paths, undeclared members, oversized members (a zip
bomb), bad sidecars; it runs anywhere and never touches the network (sockets are disabled here).
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from datetime import date
from pathlib import Path

import pytest

from corpus.cli import main
from corpus.errors import ReleaseError
from corpus.release.archives import zip_bytes
from corpus.release.editions import Member
from corpus.release.verify import verify_archive

TABLE = b"id,word\n1,peace\n2,talks\n"
GIB = 1024**3


def descriptor(path: str = "data/t.csv", *, size: int = len(TABLE), **extra: object) -> bytes:
    resource = {
        "name": "t",
        "type": "table",
        "path": path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": size,
        "hash": "sha256:" + hashlib.sha256(TABLE).hexdigest(),
        "schema": {"fields": [{"name": "id", "type": "integer"}, {"name": "word", "type": "string"}]},
        **extra,
    }
    return json.dumps({"name": "pkg", "resources": [resource]}).encode()


def archive(tmp_path: Path, members: list[Member], name: str = "pkg.zip") -> Path:
    path = tmp_path / name
    path.write_bytes(zip_bytes(members, folder="pkg", released=date(2026, 1, 2)))
    return path


def good(tmp_path: Path) -> Path:
    return archive(tmp_path, [Member("datapackage.json", descriptor()), Member("data/t.csv", TABLE)])


def test_a_good_archive_verifies_from_an_empty_folder_without_a_checkout(tmp_path: Path) -> None:
    path = good(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "corpus", "verify", str(path)], cwd=empty, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "pkg.zip: ok" in result.stdout
    assert list(empty.iterdir()) == []


@pytest.mark.parametrize(
    "path",
    ["http://127.0.0.1:9/t.csv", "https://example.org/t.csv", "file:///etc/passwd", "/etc/passwd", "../t.csv"],
)
def test_a_remote_or_outside_resource_is_refused_by_name_before_frictionless(tmp_path: Path, path: str) -> None:
    members = [Member("datapackage.json", descriptor(path)), Member("data/t.csv", TABLE)]
    with pytest.raises(ReleaseError, match=r"is remote or outside the archive; .* refused \(nothing was fetched\)"):
        verify_archive(archive(tmp_path, members))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"schema": "https://example.org/schema.json"}, "schema 'https://example.org/schema.json' is a reference"),
        ({"dialect": "dialect.json"}, "dialect 'dialect.json' is a reference"),
    ],
)
def test_a_schema_or_dialect_to_load_is_refused(tmp_path: Path, extra: dict[str, object], message: str) -> None:
    members = [Member("datapackage.json", descriptor(**extra)), Member("data/t.csv", TABLE)]
    with pytest.raises(ReleaseError, match=message):
        verify_archive(archive(tmp_path, members))


def test_a_remote_profile_is_refused(tmp_path: Path) -> None:
    raw = json.loads(descriptor())
    raw["$schema"] = "https://example.org/profile.json"
    members = [Member("datapackage.json", json.dumps(raw).encode()), Member("data/t.csv", TABLE)]
    with pytest.raises(ReleaseError, match=r"names the profile 'https://example\.org/profile\.json'"):
        verify_archive(archive(tmp_path, members))


def test_a_member_listed_in_sha256sums_but_not_in_the_descriptor_is_refused(tmp_path: Path) -> None:
    members = [Member("datapackage.json", descriptor()), Member("data/t.csv", TABLE), Member("data/x.exe", b"MZ")]
    with pytest.raises(ReleaseError, match=r"\['data/x.exe'\] are neither resources of datapackage.json"):
        verify_archive(archive(tmp_path, members))


def test_a_resource_missing_from_the_archive_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReleaseError, match=r"data/t\.csv is not in the archive"):
        verify_archive(archive(tmp_path, [Member("datapackage.json", descriptor())]))


def _deflated_zeros(size: int) -> tuple[bytes, int]:
    """The raw deflate stream of ``size`` zero bytes and its CRC-32, made in milliseconds.

    After a full flush the compressor's state is reset, so every 1 MiB block of zeros compresses
    to the same bytes: one block is compressed, then repeated.
    """
    block = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    unit = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // len(block)):
        crc = zlib.crc32(block, crc)
    return unit * (size // len(block)) + compressor.flush(zlib.Z_FINISH), crc


def _zip_with(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of pre-deflated members: (name, deflate stream, uncompressed size, CRC-32)."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, size, crc in entries:
        offset = out.tell()
        encoded = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0))
        out.write(encoded + data)
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0o100644 << 16,
                offset,
            )
            + encoded
        )
    start, body = out.tell(), central.getvalue()
    out.write(body + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(body), start, 0))
    return out.getvalue()


def _bomb_archive(tmp_path: Path, *, declared: int) -> Path:
    """An archive whose table is 1 GiB of zeros (about 1 MB compressed), declared as ``declared`` bytes."""
    bomb, crc = _deflated_zeros(GIB)
    desc = descriptor(size=declared)
    plain = [("pkg/datapackage.json", desc)]
    sums = "".join(f"{hashlib.sha256(d).hexdigest()}  {n.removeprefix('pkg/')}\n" for n, d in plain)
    sums += f"{'0' * 64}  data/t.csv\n"
    entries = [
        (n, zlib.compress(d)[2:-4], len(d), zlib.crc32(d)) for n, d in [*plain, ("pkg/SHA256SUMS", sums.encode())]
    ]
    path = tmp_path / "bomb.zip"
    path.write_bytes(_zip_with([*entries, ("pkg/data/t.csv", bomb, GIB, crc)]))
    return path


def test_a_zip_bomb_member_larger_than_declared_is_refused_before_it_is_decompressed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _bomb_archive(tmp_path, declared=len(TABLE))
    assert path.stat().st_size < 2_000_000
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: object, *args: object, **kwargs: object) -> object:
        opened.append(getattr(name, "filename", name))  # type: ignore[arg-type]
        return real_open(self, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    started = time.perf_counter()
    with pytest.raises(ReleaseError, match=r"data/t\.csv unpacks to 1,073,741,824 bytes, more than the 24 its"):
        verify_archive(path)
    assert "pkg/data/t.csv" not in opened, "the bomb must be refused from the central directory alone"
    assert time.perf_counter() - started < 5


def test_an_archive_over_the_total_limit_is_refused_before_anything_is_decompressed(tmp_path: Path) -> None:
    path = _bomb_archive(tmp_path, declared=GIB)
    with pytest.raises(ReleaseError, match=r"would unpack to 1,073,742,\d+ bytes, over the limit of 100,000,000"):
        verify_archive(path, max_total_bytes=100_000_000)


def test_a_member_that_decompresses_past_its_declared_size_is_cut(tmp_path: Path) -> None:
    """A central directory that lies (small size, big stream) cannot make the verifier write more."""
    bomb, _ = _deflated_zeros(8 << 20)
    desc = descriptor(size=100)
    sums = f"{hashlib.sha256(desc).hexdigest()}  datapackage.json\n{'0' * 64}  data/t.csv\n".encode()
    entries = [
        ("pkg/datapackage.json", zlib.compress(desc)[2:-4], len(desc), zlib.crc32(desc)),
        ("pkg/SHA256SUMS", zlib.compress(sums)[2:-4], len(sums), zlib.crc32(sums)),
        ("pkg/data/t.csv", bomb, 100, 0),  # claims 100 bytes
    ]
    path = tmp_path / "liar.zip"
    path.write_bytes(_zip_with(entries))
    with pytest.raises(ReleaseError, match=r"data/t\.csv.*(corrupt|more than)"):
        verify_archive(path)


@pytest.mark.parametrize(
    ("sidecar", "message"),
    [
        (b"", "is empty or not one line"),
        (b"\xff\xfe\x00garbage", "is not UTF-8 text"),
        (b"not a checksum\n", "is empty or not one line"),
        (b"0" * 64 + b"  other.zip\n", "is the checksum of 'other.zip', not of pkg.zip"),
        (b"0" * 64 + b"  pkg.zip\n", "its SHA-256 does not match pkg.zip.sha256"),
    ],
    ids=["empty", "not-utf8", "wrong-format", "other-file", "wrong-hash"],
)
def test_bad_sidecars_are_clean_errors(tmp_path: Path, sidecar: bytes, message: str) -> None:
    path = good(tmp_path)
    path.with_name("pkg.zip.sha256").write_bytes(sidecar)
    with pytest.raises(ReleaseError, match=message):
        verify_archive(path)


def test_a_right_sidecar_passes(tmp_path: Path) -> None:
    path = good(tmp_path)
    path.with_name("pkg.zip.sha256").write_text(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  pkg.zip\n")
    verify_archive(path)


def test_cli_verify_prints_no_traceback_for_a_bad_sidecar(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = good(tmp_path)
    path.with_name("pkg.zip.sha256").write_bytes(b"\xff\xfe")
    assert main(["verify", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("corpus verify: error: pkg.zip.sha256 is not UTF-8") and "Traceback" not in err
