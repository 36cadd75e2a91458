"""Extraction: the real seeds' articles, and each text rule on small crafted pages."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from corpus.ingest.extract import Extraction, extract
from corpus.ingest.lines import ends_sentence, is_heading, split_lines
from corpus.ingest.paragraphs import glue_points, repair
from corpus.ingest.rules import load_rules
from corpus.ingest.seeds import decode_seed

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules(ROOT / "catalog" / "rules.toml")
SITES = ["Sputnik International", "Lenta.UA"]


def run(text: str) -> Extraction:
    return extract(text, RULES, site_names=SITES)


def seed(name: str) -> Extraction:
    prefix = {"sputnik-2025": "000_", "sputnik-2021": "001_", "blog": "002_", "ua-page": "003_", "lenta": "004_"}[name]
    path = next((ROOT / "seeds").glob(prefix + "*.txt"))
    return run(decode_seed(path.name, path.read_bytes()).text)


# --- the real seeds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "titles", "n_paragraphs"),
    [
        ("sputnik-2025", ["Russia, US Discuss Cooperation Opportunities in Arctic, Alaska - Putin"], [10]),
        ("sputnik-2021", ["Russia and US Are on the Right Track Following Geneva Summit, Putin Says"], [8]),
        (
            "blog",
            [
                "Russia rejects accusations of ‘fracturing’ Ukraine talks with US",
                "Putin - Russia still working with Western scientists despite sanctions",
            ],
            [8, 8],
        ),
        ("ua-page", ['Москва передала США пропозиції щодо "оздоровлення відносин": обіцяє "вигідні горизонти"'], [14]),
        ("lenta", [None], [6]),
    ],
)
def test_articles_and_titles_of_the_real_seeds(name: str, titles: list[str | None], n_paragraphs: list[int]) -> None:
    found = seed(name)
    assert [a.title for a in found.articles] == titles
    assert [len(a.paragraphs) for a in found.articles] == n_paragraphs


FURNITURE = [
    "feedback@sputniknews.com",
    "+74956456601",
    "Rossiya Segodnya",
    "Rosiya Segodnya",
    "en_EN",
    "https://",
    "1920 1080",
    "2025-08-23T00:10",
    "/html/head",
    "us-russia dialogue",
    "Sputnik International",
    "©Sputnik",
    "FILE PHOTO",
    "No comments",
    "Смотрите также",
    "Читайте также",
    "Підписуйте",
    "Основні тези",
    "Фото:",
    "02 сен 2025",
    "Favbet Tech",
    "Новости",
    "GMT",
    "Маргарита Волошина",
    "Евгений Медведев",
    "Геополитика",
    "Russian President Vladimir Putin attends a meeting with nuclear industry personnel",
]


@pytest.mark.parametrize("name", ["sputnik-2025", "sputnik-2021", "blog", "ua-page", "lenta"])
@pytest.mark.parametrize("furniture", FURNITURE)
def test_no_page_furniture_in_article_text(name: str, furniture: str) -> None:
    for article in seed(name).articles:
        assert furniture not in article.text


def test_duplicated_body_keeps_the_clean_copy_with_its_extra_paragraph() -> None:
    article = seed("sputnik-2025").articles[0]
    texts = [p.text for p in article.paragraphs]
    assert texts[-2].startswith('"It does not depend on us')  # only the second copy has it
    assert sum(t.startswith("Russia and the United States are in talks") for t in texts) == 1
    assert all(not p.repairs for p in article.paragraphs)


def test_glued_blob_is_split_at_the_glued_sentences() -> None:
    article = seed("sputnik-2021").articles[0]
    assert article.paragraphs[0].text.endswith("addressing the Valdai forum on Thursday.")
    assert article.paragraphs[1].text.startswith("Putin described his meeting")
    assert all(p.repairs == ("split-glued",) for p in article.paragraphs)
    assert "Thursday.Putin" not in article.text
    assert "make.”During" not in article.text


def test_ukrainian_frame_around_a_russian_article() -> None:
    found = seed("ua-page")
    article = found.articles[0]
    assert article.alt_title == 'Россия предлагает США восстановление отношений, обещая "выгоду" для Вашингтона'
    assert article.author == "Маргарита Волошина"
    assert (found.dateline and (found.dateline.day, found.dateline.month, found.dateline.year)) == (3, 2, None)
    kinds = [p.kind for p in article.paragraphs]
    assert kinds[:2] == ["bullet", "bullet"] and kinds.count("heading") == 2
    joined = [p for p in article.paragraphs if p.repairs == ("join-lines",)]
    assert len(joined) == 1 and joined[0].text.endswith("Вашингтоном, – сообщили там.")
    assert any(r.kind == "rubric" for r in found.removed)


def test_sidebar_timestamps_are_removed_and_the_byline_kept() -> None:
    found = seed("lenta")
    assert found.dateline is None
    assert found.articles[0].author == "Евгений Медведев"
    assert sum(r.kind == "sidebar" for r in found.removed) == 20
    assert found.articles[0].text.endswith("в середине апреля в Саудовской Аравии.")


def test_header_line_gives_date_and_url() -> None:
    found = seed("sputnik-2025")
    assert found.header_date == "2025-08-23"
    assert found.header_url and found.header_url.startswith("https://sputnikglobe.com/20250823/")


@pytest.mark.parametrize("name", ["sputnik-2025", "sputnik-2021", "blog", "ua-page", "lenta"])
def test_every_paragraph_is_its_raw_slice_after_repairs(name: str) -> None:
    prefix = {"sputnik-2025": "000_", "sputnik-2021": "001_", "blog": "002_", "ua-page": "003_", "lenta": "004_"}[name]
    path = next((ROOT / "seeds").glob(prefix + "*.txt"))
    text = decode_seed(path.name, path.read_bytes()).text
    for article in run(text).articles:
        for p in article.paragraphs:
            assert p.text == (repair(text[p.start : p.end]) if "join-lines" in p.repairs else text[p.start : p.end])
        if article.title_start is not None:
            assert text[article.title_start : article.title_end] == article.title


# --- text rules on crafted input -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("on Thursday.Putin said", ["on Thursday.", "Putin said"]),
        ("make or not make.”During the", ["make or not make.”", "During the"]),
        ('the countries."I very much', ["the countries.", '"I very much']),
        ("в четверг.Путин заявил", ["в четверг.", "Путин заявил"]),
        ("in 2014.The US", ["in 2014.", "The US"]),
        ("U.S. Army", ["U.S. Army"]),
        ("channel Lenta.UA today", ["channel Lenta.UA today"]),
        ("aa.com.tr", ["aa.com.tr"]),
        ("a utopia.. [and] a road", ["a utopia.. [and] a road"]),
        ("He said. Then", ["He said. Then"]),
    ],
)
def test_glued_sentences(text: str, pieces: list[str]) -> None:
    bounds = [0, *glue_points(text), len(text)]
    assert [text[a:b] for a, b in itertools.pairwise(bounds)] == pieces


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("Russia rejects accusations of ‘fracturing’ Ukraine talks with US", True),
        ('обіцяє "вигідні горизонти"', True),
        ("Putin said on Friday.", False),
        ("Американцам переданы предложения, ", False),
        ("Что Россия хочет от США?", False),
        (" ".join(["word"] * 30), False),
    ],
)
def test_is_heading(text: str, heading: bool) -> None:
    assert is_heading(text.strip()) is heading


@pytest.mark.parametrize(
    ("text", "ends"),
    [("Done.", True), ("Done.”", True), ('"Done!"', True), ("Done,", False), ("Done", False), ("Why?", True)],
)
def test_ends_sentence(text: str, ends: bool) -> None:
    assert ends_sentence(text) is ends


def test_split_lines_offsets_with_crlf_and_bom() -> None:
    text = "\ufeffTitle here\r\n\r\n  Body text.  \r\nLast"
    lines = split_lines(text)
    assert [line.text for line in lines] == ["Title here", "", "Body text.", "Last"]
    for line in lines:
        assert text[line.start : line.end] == line.text


@pytest.mark.parametrize(
    ("raw", "repaired"),
    [("one,\n– two", "one, – two"), ("a  \r\n  b", "a b"), ("a\n\n b", "a b"), ("no break", "no break")],
)
def test_join_lines_repair(raw: str, repaired: str) -> None:
    assert repair(raw) == repaired


def test_two_articles_split_at_a_standalone_headline() -> None:
    page = (
        "First headline about Russia and the US\n\n"
        "First paragraph of the first article.\n\nSecond paragraph of the first article.\n\n\n\n"
        "Second headline about arms control talks\n\n"
        "First paragraph of the second article.\n\nSecond paragraph of the second article.\n"
    )
    found = run(page)
    assert [a.title for a in found.articles] == [
        "First headline about Russia and the US",
        "Second headline about arms control talks",
    ]
    assert [len(a.paragraphs) for a in found.articles] == [2, 2]


def test_a_subheading_question_does_not_split_the_article() -> None:
    page = "A headline about sanctions\n\nOne sentence here.\n\n\n\nWhat happens next?\n\nAnother sentence here.\n"
    found = run(page)
    assert len(found.articles) == 1
    assert [p.kind for p in found.articles[0].paragraphs] == ["paragraph", "heading", "paragraph"]


def test_caption_before_a_credit_line_is_removed() -> None:
    page = (
        "A headline about talks\n\nThe text begins here.\n\n"
        "Minister attends a meeting in Moscow.\n©Agency/Photographer\n\nThe text goes on here.\n"
    )
    article = run(page).articles[0]
    assert [p.text for p in article.paragraphs] == ["The text begins here.", "The text goes on here."]


def test_page_with_only_furniture_has_no_article() -> None:
    assert run("https://example.org/x\nrussia\n2025\nen_EN\n").articles == []


def test_html_in_seed_text_stays_text() -> None:
    page = "Headline with <b>markup</b>\n\nThe <script>alert(1)</script> text stays as it is.\n"
    article = run(page).articles[0]
    assert article.paragraphs[0].text == "The <script>alert(1)</script> text stays as it is."


@pytest.mark.parametrize(
    "first_lines",
    [
        # the line breaks before a lowercase word
        "Russian and US negotiators met in Istanbul on Thursday for a second round of\n"
        "talks on the work of their embassies.",
        # the line ends on a function word, the next one starts with a name
        "Переговоры делегаций России и США прошли в Стамбуле в\nчетверг и продлились шесть часов.",
        # the line ends with a comma
        "Die Delegationen trafen sich am Donnerstag in Istanbul,\nteilte das Außenministerium mit.",
    ],
)
def test_a_hard_wrapped_first_paragraph_keeps_all_its_text(first_lines: str) -> None:
    page = f"Embassy talks resume in Istanbul\n{first_lines}\n\nA second paragraph follows here, as usual.\n"
    found = run(page)
    article = found.articles[0]
    assert article.title == "Embassy talks resume in Istanbul"
    assert article.alt_title is None
    assert article.paragraphs[0].text == " ".join(first_lines.split("\n"))


def test_a_deck_under_the_headline_is_a_second_title() -> None:
    page = (
        "Embassy talks resume in Istanbul\nThe second round focuses on diplomats' visas and bank accounts\n\n"
        "Russian and US negotiators met in Istanbul on Thursday, the foreign ministry said.\n"
    )
    article = run(page).articles[0]
    assert article.alt_title == "The second round focuses on diplomats' visas and bank accounts"
    assert [p.text for p in article.paragraphs] == [
        "Russian and US negotiators met in Istanbul on Thursday, the foreign ministry said."
    ]


def test_every_line_of_a_page_is_text_or_a_removed_stretch() -> None:
    page = (
        "Skip to content\nWorld\n\nEmbassy talks resume in Istanbul\nBy Jane Doe\nMarch 4, 2025\n\n"
        "Diplomats arrive at the consulate. (Photo: Agency / Photographer)\n\n"
        "Russian and US negotiators met in Istanbul on Thursday, the foreign ministry said.\n\n"
        "The talks lasted six hours, according to a statement released afterwards.\n\n"
        "Read more\nAnother headline about something else\n"
    )
    found = run(page)
    spans = [(p.start, p.end) for a in found.articles for p in a.paragraphs] + [(r.start, r.end) for r in found.removed]
    for number, line in enumerate(page.split("\n"), start=1):
        start = sum(len(x) + 1 for x in page.split("\n")[: number - 1])
        for offset, ch in enumerate(line):
            assert ch.isspace() or any(s <= start + offset < e for s, e in spans), (number, line)
    article = found.articles[0]
    assert (article.title, article.author) == ("Embassy talks resume in Istanbul", "Jane Doe")
    assert found.dateline is not None and (found.dateline.year, found.dateline.month) == (2025, 3)
    assert [p.text[:7] for p in article.paragraphs] == ["Russian", "The tal"]
