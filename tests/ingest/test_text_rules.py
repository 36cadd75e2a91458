"""Each text rule of the extraction, table-driven, on real-looking lines of many kinds of outlets.

The lines are written for these tests in the shapes news sites print (agencies, dailies, blogs,
in the languages of the corpus and beyond); none is copied from a benchmark page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.ingest.catalog import registrable_domain
from corpus.ingest.extract import extract
from corpus.ingest.lines import Line, ends_mid_clause, is_headline, sentence_like
from corpus.ingest.pagedates import read_date
from corpus.ingest.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules(ROOT / "catalog" / "rules.toml")


def line(text: str) -> Line:
    return Line(1, 0, len(text), text)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("March 4, 2024", (2024, 3, 4)),
        ("Published: Tue, June 11, 2019 09:14 ET", (2019, 6, 11)),
        ("Updated 14 February 2023, 18:02 GMT", (2023, 2, 14)),
        ("07:45 02.11.2024", (2024, 11, 2)),
        ("02.11.2024 | 07:45", (2024, 11, 2)),
        ("Четверг, 12 сентября 2024, 16:20", (2024, 9, 12)),
        ("Опубліковано: 5 квітня 2022 о 11:30", (2022, 4, 5)),
        ("Mittwoch, 8. Mai 2024 um 07:12 Uhr", (2024, 5, 8)),
        ("Publié le 21 janvier 2025 à 10h05", (2025, 1, 21)),
        ("Roma, 3 luglio 2023", (2023, 7, 3)),
        ("3 lipca 2023, 10:15", (2023, 7, 3)),
        ("2019-06-30", (2019, 6, 30)),
        ("Ноябрь 2024", (2024, 11, None)),
        ("19 мая, 14:05", (None, 5, 19)),  # no year: never completed from the clock
    ],
)
def test_dates_as_news_sites_print_them(text: str, date: tuple[int | None, int, int | None]) -> None:
    found = read_date(line(text), RULES)
    assert found is not None and (found.year, found.month, found.day) == date


@pytest.mark.parametrize(
    "text",
    [
        "Putin and Biden met in Geneva in June 2021 to discuss strategic stability and cyber attacks.",
        "Trump says talks with Putin went well",
        "3 days ago",
        "5 comments",
        "В 2024 году переговоры так и не начались, заявил источник агентства.",
        "Page 2 of 3",
    ],
)
def test_lines_that_are_not_dates(text: str) -> None:
    assert read_date(line(text), RULES) is None


@pytest.mark.parametrize(
    ("text", "author"),
    [
        ("By Jonathan Landay", "Jonathan Landay"),
        ("by admin", "admin"),
        ("Автор: Ольга Петрова", "Ольга Петрова"),
        ("Автор Иван Сидоров", "Иван Сидоров"),
        ("Від Олена Коваль", "Олена Коваль"),
        ("Von Julia Weber", "Julia Weber"),
        ("Par Claire Dubois", "Claire Dubois"),
        ("di Marco Rossi", "Marco Rossi"),
        ("by newsdesk · 12.03.2025", "newsdesk"),
    ],
)
def test_bylines_give_the_author(text: str, author: str) -> None:
    body = "The two leaders met for four hours on Wednesday, officials said."
    page = f"A headline about the summit in Geneva\n\n{text}\n\n{body}\n"
    assert extract(page, RULES).articles[0].author == author


@pytest.mark.parametrize(
    "text",
    [
        "By the way, nobody expected the talks to last this long, a diplomat told reporters.",
        "By Tuesday the delegations had left the city without a joint statement.",
    ],
)
def test_sentences_starting_like_a_byline_stay_text(text: str) -> None:
    page = f"A headline about the summit in Geneva\n\nThe leaders met on Wednesday, officials said.\n\n{text}\n"
    article = extract(page, RULES).articles[0]
    assert article.author is None and article.paragraphs[-1].text == text


@pytest.mark.parametrize(
    "caption",
    [
        "Sergei Lavrov at a news conference in Moscow. (Photo: Maxim Shemetov / Reuters)",
        "Владимир Путин во время встречи (Фото: Михаил Климентьев / ТАСС)",
        "Президент під час візиту до Брюсселя. Фото: Офіс президента",
        "Die Außenminister in Genf. Foto: Martial Trezzini/Keystone/dpa",
        "The two presidents shake hands in Helsinki. (AP Photo/Alexander Zemlianichenko)",
        "Marco Rubio arrives at the summit. Evan Vucci/AP",
        "© Sputnik / Sergey Guneev",
        "Photo: Kremlin press service",
        "Quelle: picture alliance",
        "Image d'illustration",
    ],
)
def test_captions_and_credits_anywhere_in_a_line_are_removed(caption: str) -> None:
    page = (
        "Lavrov and Rubio meet in Riyadh\n\n"
        f"{caption}\n\n"
        "The foreign ministers met for four and a half hours, the State Department said on Tuesday.\n\n"
        "Both sides agreed to restore staffing at their embassies, according to a readout.\n"
    )
    article = extract(page, RULES).articles[0]
    assert caption not in article.text
    assert article.title == "Lavrov and Rubio meet in Riyadh"


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        ("Will Trump and Putin meet again before the end of the year?", True),
        ("Kremlin: talks with Washington are 'extremely productive'!", True),
        ("Sanctions on Rosneft and Lukoil take effect", True),
        ("Рябков: Москва не получала предложений от Вашингтона", True),
        ("The talks ended without a statement.", False),
        ("Officials said the meeting would take place in Budapest, but no date has been set,", False),
    ],
)
def test_headline_shape(text: str, headline: bool) -> None:
    assert is_headline(text) == headline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Kremlin said on Monday that it had not received any proposals from Washington.", True),
        ("Кремль заявил, что не получал предложений от Вашингтона по договору.", True),
        ("Sanctions on Rosneft and Lukoil take effect", False),
        ("Read more", False),
    ],
)
def test_sentence_likeness(text: str, expected: bool) -> None:
    assert sentence_like(text, RULES.stopwords) == expected


@pytest.mark.parametrize(
    ("text", "mid_clause"),
    [
        ("Russian and US negotiators met in Istanbul on Thursday with", True),
        ("Переговоры делегаций России и США прошли в Стамбуле и", True),
        ("Talks on embassy staffing end in Istanbul", False),
    ],
)
def test_a_line_ending_on_a_function_word_runs_on(text: str, mid_clause: bool) -> None:
    assert ends_mid_clause(text, RULES.clause_words) == mid_clause


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Skip to main content", "nav"),
        ("Перейти к содержанию", "nav"),
        ("Read more:", "related"),
        ("Читайте также", "related"),
        ("Lire aussi", "related"),
        ("Lesen Sie auch", "related"),
        ("Czytaj także", "related"),
        ("Subscribe to our newsletter", "promo"),
        ("Підпишіться на наш Telegram", "promo"),
        ("Leave a Reply", "promo"),
        ("Reporting by Guy Faulconbridge; Editing by Alex Richardson", "meta"),
        ("Source: TASS", "meta"),
        ("404", "other"),
        ("Sanctions on Rosneft and Lukoil take effect", None),
        ("Subscribers in Moscow reported outages on Tuesday, the operator said in a statement to clients.", None),
    ],
)
def test_furniture_lexicon_by_kind(text: str, kind: str | None) -> None:
    assert RULES.lexicon_kind(text) == kind


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.reuters.com/world/europe/x", "reuters.com"),
        ("https://uk.reuters.com/article/x", "reuters.com"),
        ("https://www.pravda.com.ua/news/2025/01/01/1/", "pravda.com.ua"),
        ("https://example.kyiv.ua/x", "example.kyiv.ua"),
        ("https://someone.blogspot.com/2025/01/post.html", "someone.blogspot.com"),
        ("http://NEWS.RU/world/x", "news.ru"),
        ("", ""),
        ("https://[::1/x", ""),
    ],
)
def test_registrable_domain(url: str, domain: str) -> None:
    assert registrable_domain(url) == domain


def test_header_prefix_before_the_pages_first_line() -> None:
    found = extract(
        " date 2025-10-20 Lavrov and Rubio hold a phone call\n\nThe ministers spoke on Monday, Moscow said.\n", RULES
    )
    assert (found.header_date, found.header_url) == ("2025-10-20", None)
    assert found.articles[0].title == "Lavrov and Rubio hold a phone call"
    assert [(r.kind, r.start) for r in found.removed if r.kind == "header"] == [("header", 1)]
