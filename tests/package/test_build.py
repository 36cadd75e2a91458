"""Building the data package: content on the real seeds, determinism, atomicity, bad inputs."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from seed_expectations import check_real_seed_documents, check_real_seed_languages

from corpus.errors import CatalogError, CorpusError, PackageError, SeedError
from corpus.ingest.catalog import SEED_FIELDS
from corpus.package.build import build
from corpus.package.validate import validate_package
from corpus.paths import Layout


def snapshot(layout: Layout) -> dict[str, str]:
    """sha256 of every file of the built package (descriptor and data/)."""
    files = [layout.descriptor, *sorted(layout.data.rglob("*"))]
    return {str(p.relative_to(layout.root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}


def documents(layout: Layout) -> dict[str, dict[str, str]]:
    with (layout.data / "documents.csv").open(encoding="utf-8", newline="") as handle:
        return {row["doc_id"]: row for row in csv.DictReader(handle)}


def add_seed(
    layout: Layout,
    name: str,
    raw: bytes,
    *,
    outlet: str = "sputnik",
    perspective: str = "",
    evidence: str = "Test seed.",
) -> None:
    (layout.seeds / name).write_bytes(raw)
    row = dict.fromkeys(SEED_FIELDS, "") | {"file": name, "outlet_id": outlet, "perspective": perspective}
    with (layout.catalog / "seeds.csv").open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(SEED_FIELDS), lineterminator="\n")
        writer.writerow(row | {"review": "reviewed", "evidence": evidence})


@pytest.fixture
def built(project_copy: Layout) -> Layout:
    build(project_copy)
    return project_copy


def test_committed_package_is_what_build_produces(repo: Layout, built: Layout) -> None:
    assert snapshot(built) == snapshot(repo), "datapackage.json or data/ drifted: run `corpus build` and commit"


def test_second_build_changes_no_byte(built: Layout) -> None:
    before = snapshot(built)
    build(built)
    assert snapshot(built) == before


def test_build_never_writes_into_seeds(project_copy: Layout) -> None:
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in project_copy.seeds.iterdir()}
    build(project_copy)
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in project_copy.seeds.iterdir()} == before


def test_documents_of_the_real_seeds(repo: Layout) -> None:
    check_real_seed_documents(repo)


def test_paragraph_languages_show_the_mixed_page(repo: Layout) -> None:
    check_real_seed_languages(repo)


def test_text_round_trips_through_frictionless(repo: Layout) -> None:
    from frictionless import Package

    package = Package(str(repo.descriptor))
    rows = {row["doc_id"]: row["text"] for row in package.get_resource("documents").read_rows()}
    assert rows == {doc_id: row["text"] for doc_id, row in documents(repo).items()}
    assert any("\n\n" in t and '"' in t and "," in t for t in rows.values())
    assert any("Москва" in t for t in rows.values())


@pytest.mark.parametrize(
    ("raw", "error", "message"),
    [
        ("Заголовок\n\nТекст статьи.\n".encode("cp1251"), SeedError, "seeds/005_bad.txt: line 1"),
        ("Headline\n\nText.\n".encode("utf-16"), SeedError, "seeds/005_bad.txt: the file is UTF-16"),
        (b"", SeedError, "seeds/005_bad.txt: the file is empty"),
        (b"\x00\x01\x02binary", SeedError, "seeds/005_bad.txt: byte 0 is NUL"),
        (
            b" date 2025-02-30 https://sputnikglobe.com/x.html\nA headline here\n\nText of it.\n",
            CatalogError,
            r"seeds/005_bad.txt line 1 \(header\).*calendar",
        ),
        (b"https://sputnikglobe.com/only-furniture\n2025\nen_EN\n", CorpusError, "no article text found"),
    ],
    ids=["cp1251", "utf16", "empty", "binary", "impossible-date", "no-text"],
)
def test_bad_seed_fails_and_keeps_the_previous_package(
    built: Layout, raw: bytes, error: type[Exception], message: str
) -> None:
    before = snapshot(built)
    add_seed(built, "005_bad.txt", raw)
    with pytest.raises(error, match=message):
        build(built)
    assert snapshot(built) == before
    assert not list(built.root.glob(".data*")), "staging folders must be removed"


def test_same_seed_twice_is_refused(built: Layout) -> None:
    raw = next(built.seeds.glob("001_*.txt")).read_bytes()
    add_seed(built, "005_copy.txt", raw)
    before = snapshot(built)
    with pytest.raises(SeedError, match=r"005_copy\.txt: same bytes as seeds/001_"):
        build(built)
    assert snapshot(built) == before


def test_same_article_in_two_seeds_is_refused(built: Layout) -> None:
    raw = next(built.seeds.glob("004_*.txt")).read_bytes()
    add_seed(built, "005_repost.txt", raw + b"\n", outlet="lenta-ua")
    with pytest.raises(PackageError, match=r"005_repost\.txt article 1 has the same text as 004_"):
        build(built)


def test_bom_and_crlf_are_handled_and_recorded(built: Layout) -> None:
    text = next(built.seeds.glob("003_*.txt")).read_text(encoding="utf-8")
    variant = text.replace("Маргарита Волошина", "Иван Петров").replace("Россия сообщила", "Россия объявила")
    add_seed(
        built,
        "005_crlf.txt",
        b"\xef\xbb\xbf" + variant.replace("\n", "\r\n").encode(),
        outlet="",
        perspective="ukrainian",
        evidence="CRLF and BOM variant.",
    )
    build(built)
    assert validate_package(built) == []
    with (built.data / "seed_files.csv").open(encoding="utf-8", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["file"] == "005_crlf.txt")
    assert (row["bom"], row["line_endings"]) == ("true", "crlf")
    doc = documents(built)["005_crlf-1"]
    assert doc["author"] == "Иван Петров" and "\r" not in doc["text"]


def test_missing_seeds_folder(project_copy: Layout) -> None:
    for path in project_copy.seeds.iterdir():
        path.unlink()
    project_copy.seeds.rmdir()
    with pytest.raises(SeedError, match="seeds/ is missing"):
        build(project_copy)


#: Open Definition licence ids (the list at licenses.opendefinition.org) that suit a data package's
#: own tables; a licence ``name`` must be one of that list's ids (Data Package v2, "licenses").
OPEN_DEFINITION_DATA_IDS = {"CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "ODC-BY-1.0", "ODbL-1.0", "ODC-PDDL-1.0"}


def test_descriptor_follows_the_data_package_v2_conventions(repo: Layout) -> None:
    import json

    descriptor = json.loads(repo.descriptor.read_text(encoding="utf-8"))
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    for contributor in descriptor["contributors"]:
        assert "role" not in contributor, "v2 contributors carry 'roles' (a list), 'role' is v1"
        assert contributor["roles"] and all(isinstance(r, str) for r in contributor["roles"])
    licences = [*descriptor["licenses"], *(lic for r in descriptor["resources"] for lic in r.get("licenses", []))]
    for licence in licences:
        assert licence.get("name") or licence.get("path"), licence
        if "name" in licence:
            assert licence["name"] in OPEN_DEFINITION_DATA_IDS, f"{licence['name']} is not an Open Definition id"
        if not licence.get("path", "https://").startswith("https://"):
            assert (repo.root / licence["path"]).is_file(), f"{licence['path']} is missing"


def test_descriptor_has_licences_per_resource(repo: Layout) -> None:
    import json

    descriptor = json.loads(repo.descriptor.read_text(encoding="utf-8"))
    licences = {r["name"]: r["licenses"][0].get("name") or r["licenses"][0]["path"] for r in descriptor["resources"]}
    assert licences["documents"] == licences["paragraphs"] == "LICENSES/publisher-copyright.txt"
    assert licences["outlets"] == "CC-BY-4.0"
    assert all(v == "LICENSES/publisher-copyright.txt" for k, v in licences.items() if k.startswith("seed-"))
    assert descriptor["version"] and descriptor["created"].startswith("20")
    seeds = [r for r in descriptor["resources"] if r["path"].startswith("seeds/")]
    assert len(seeds) == len(list(repo.seeds.glob("*.txt")))
    for resource in seeds:
        raw = (repo.root / resource["path"]).read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(raw).hexdigest()
        assert resource["bytes"] == len(raw)


def test_created_date_does_not_come_from_the_clock(built: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    before = snapshot(built)
    monkeypatch.setattr(time, "time", lambda: 4102444800.0)  # 2100-01-01
    build(built)
    assert snapshot(built) == before


def test_path_of_data_never_escapes(project_copy: Layout) -> None:
    rows = (project_copy.catalog / "seeds.csv").read_text(encoding="utf-8")
    (project_copy.catalog / "seeds.csv").write_text(
        rows.replace("000_cf7a337e85c81ec2.txt", "../../etc/x.txt", 1), encoding="utf-8"
    )
    with pytest.raises(CorpusError, match="outside seeds/"):
        build(project_copy)
    assert not Path(project_copy.root.parent.parent / "etc" / "x.txt").exists()


def test_parallel_build_gives_the_same_bytes(built: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    import corpus.package.build

    before = snapshot(built)
    monkeypatch.setattr(corpus.package.build, "PARALLEL_MIN_SEEDS", 1)
    build(built)
    assert snapshot(built) == before


def test_parallel_build_fails_like_the_sequential_one(built: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    import corpus.package.build

    monkeypatch.setattr(corpus.package.build, "PARALLEL_MIN_SEEDS", 1)
    before = snapshot(built)
    add_seed(built, "005_bad.txt", "Заголовок\n\nТекст.\n".encode("cp1251"))
    with pytest.raises(SeedError, match=r"seeds/005_bad\.txt: line 1"):
        build(built)
    assert snapshot(built) == before
    assert not list(built.root.glob(".data*"))


def test_a_malformed_url_in_a_seed_header_is_named(built: Layout) -> None:
    before = snapshot(built)
    add_seed(built, "005_bad.txt", b" date 2025-08-23 https://[::1/x\nA headline here\n\nText of it.\n")
    with pytest.raises(CatalogError, match=r"seeds/005_bad\.txt line 1 \(header; .*URL 'https://\[::1/x' is malformed"):
        build(built)
    assert snapshot(built) == before


def test_an_uppercase_catalog_url_finds_its_outlet(built: Layout) -> None:
    (built.seeds / "005_upper.txt").write_bytes(b"Talks resumed in Istanbul today\n\nThe delegations met.\n")
    with (built.catalog / "seeds.csv").open("a", encoding="utf-8") as handle:
        handle.write("005_upper.txt,,,,HTTPS://LENTA.UA/news/1,,,,,,,reviewed,The URL is known from the capture.\n")
    build(built)
    assert documents(built)["005_upper-1"]["outlet_id"] == "lenta-ua"


def test_an_uppercase_header_url_finds_its_outlet(built: Layout) -> None:
    # No catalog row: the outlet comes from the header's URL alone.
    raw = b" date 2025-08-23 HTTPS://WWW.LENTA.UA/news/1\nTalks resumed in Istanbul\n\nThe delegations met.\n"
    (built.seeds / "005_upper.txt").write_bytes(raw)
    build(built)
    row = documents(built)["005_upper-1"]
    assert (row["outlet_id"], row["url"], row["date"]) == ("lenta-ua", "https://www.lenta.ua/news/1", "2025-08-23")


def _limits(layout: Layout, text: str) -> None:
    from corpus.ingest.rules import load_rules

    rules = layout.catalog / "rules.toml"
    rules.write_text(rules.read_text(encoding="utf-8") + f"\n[limits]\n{text}\n", encoding="utf-8")
    load_rules.cache_clear()  # loaded once per process: this test process already read the file


def test_a_catastrophic_rule_is_stopped_and_named_with_the_seed(built: Layout) -> None:
    import time

    rules = built.catalog / "rules.toml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(
        text.replace("[[boilerplate]]", "[[boilerplate]]\nkind = 'slow'\npattern = '(a|aa)+$'\n[[boilerplate]]", 1)
    )
    _limits(built, "rule_timeout_seconds = 0.2")
    add_seed(built, "005_slow.txt", b"A headline here\n\n" + b"a" * 80 + b"b\n\nText of it.\n")
    before = snapshot(built)
    started = time.perf_counter()
    with pytest.raises(
        CorpusError, match=r"seeds/005_slow\.txt: rule boilerplate slow = '\(a\|aa\)\+\$' .* more than 0\.2 s"
    ):
        build(built)
    assert time.perf_counter() - started < 30
    assert snapshot(built) == before


def test_the_seed_size_limit_is_read_from_the_rules(built: Layout) -> None:
    _limits(built, "seed_max_bytes = 4000")
    with pytest.raises(SeedError, match=r"over the maximum seed size of 4,000 bytes \(\[limits\] seed_max_bytes"):
        build(built)


@pytest.mark.parametrize("value", ["0", "'big'", "-1"])
def test_bad_limits_are_named(built: Layout, value: str) -> None:
    _limits(built, f"seed_max_bytes = {value}")
    with pytest.raises(CatalogError, match=r"rules\.toml: \[limits\] seed_max_bytes"):
        build(built)
