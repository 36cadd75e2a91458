"""Table Schemas of the data package's tables (Frictionless Table Schema, as plain dicts)."""

from __future__ import annotations

from typing import Any, get_args

from corpus.ingest.catalog import COUNTRY, OUTLET_ID, OWNERSHIP, PERSPECTIVES
from corpus.ingest.dates import DATE_PATTERN, DATE_SOURCES, PRECISIONS
from corpus.ingest.languages import ISO_639_1, LANGUAGES
from corpus.ingest.paragraphs import PARAGRAPH_KINDS, REPAIRS
from corpus.ingest.seeds import SEED_NAME, LineEndings
from corpus.text.codebook import GROUPS

Schema = dict[str, Any]

LINE_ENDINGS: tuple[str, ...] = get_args(LineEndings)
_REPAIR = "|".join(REPAIRS)
#: Languages the corpus records (any ISO 639-1 code), sorted; the analyses support ``LANGUAGES`` only.
_ISO = tuple(sorted(ISO_639_1))


def _f(name: str, type_: str, description: str, **constraints: Any) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": type_, "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


def _enum(name: str, values: tuple[str, ...], description: str, *, required: bool = True) -> dict[str, Any]:
    return _f(name, "string", description, required=required, enum=list(values))


SEED_FILES: Schema = {
    "fields": [
        _f(
            "file",
            "string",
            "File name of the raw seed in seeds/.",
            required=True,
            unique=True,
            pattern=SEED_NAME.pattern,
        ),
        _f("resource", "string", "Name of the seed's own resource in this package.", required=True, unique=True),
        _f("bytes", "integer", "Size of the raw file in bytes.", required=True, minimum=1),
        _f("sha256", "string", "SHA-256 of the raw file.", required=True, pattern=r"^[0-9a-f]{64}$"),
        _f(
            "bom",
            "boolean",
            "Whether the file starts with a UTF-8 byte-order mark (kept as character 0 for offsets).",
            required=True,
        ),
        _enum("line_endings", LINE_ENDINGS, "Line endings found in the file (CRLF counts as two characters)."),
        _f("n_articles", "integer", "Articles extracted from the file.", required=True, minimum=0),
    ],
    "primaryKey": ["file"],
}

OUTLETS: Schema = {
    "fields": [
        _f(
            "outlet_id",
            "string",
            "Identifier of the outlet.",
            required=True,
            unique=True,
            pattern=OUTLET_ID.pattern,
        ),
        _f("name", "string", "Name of the outlet.", required=True),
        _f("domain", "string", "Web domain of the outlet (empty if unknown).", pattern=r"^[a-z0-9.-]+\.[a-z]{2,}$"),
        _f("other_domains", "string", "Former or alternative domains, space-separated."),
        _f("country", "string", "ISO 3166 alpha-2 country of the outlet (empty if unknown).", pattern=COUNTRY.pattern),
        _enum("ownership", OWNERSHIP, "Ownership of the outlet, as far as the evidence shows."),
        _enum("perspective", PERSPECTIVES, "Whose perspective the outlet's coverage represents in this study."),
        _f("site_names", "string", "Names the outlet's pages show, '|'-separated (used to remove page furniture)."),
        _f("evidence", "string", "How the outlet's details are known.", required=True),
    ],
    "primaryKey": ["outlet_id"],
}

DOCUMENTS: Schema = {
    "fields": [
        _f(
            "doc_id",
            "string",
            "Identifier of the article: seed file stem and article number.",
            required=True,
            unique=True,
            pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*-\d+$",
        ),
        _f("seed", "string", "The raw seed file the article was extracted from.", required=True),
        _f("article", "integer", "Number of the article within its seed (1-based).", required=True, minimum=1),
        _f("outlet_id", "string", "The outlet (empty: not identifiable from the file or the catalog)."),
        _enum(
            "perspective",
            PERSPECTIVES,
            "Perspective of the source (from the outlet or the catalog); empty until a curator knows it.",
            required=False,
        ),
        _f("url", "string", "Original URL (empty if unknown).", pattern=r"^https?://\S+$"),
        _f(
            "date",
            "string",
            "Publication date, ISO 8601 with reduced precision (YYYY, YYYY-MM, YYYY-MM-DD); empty if unknown.",
            pattern=DATE_PATTERN.pattern,
        ),
        _enum("date_precision", PRECISIONS, "Precision of the date."),
        _enum(
            "date_source",
            DATE_SOURCES,
            "Where the date comes from: the file's header line, a dateline in the "
            "page, an inference recorded in the catalog, or unknown.",
        ),
        _f("date_note", "string", "What the file says about the date and why the date is what it is."),
        _enum("language", _ISO, "Language of the article text (ISO 639-1); the analyses read en, ru and uk only."),
        _enum("language_source", ("detected", "catalog"), "Whether the language was detected or set by the catalog."),
        _f("title", "string", "Headline (empty if the file has none)."),
        _enum("title_language", _ISO, "Language of the headline (ISO 639-1).", required=False),
        _f("title_start", "integer", "Offset of the headline in the seed.", minimum=0),
        _f("title_end", "integer", "End offset (exclusive) of the headline in the seed.", minimum=0),
        _f("alt_title", "string", "A second headline the page shows (e.g. in another language)."),
        _f("author", "string", "Author as stated in the file or the catalog."),
        _f("text", "string", "Article text: its paragraphs joined by a blank line.", required=True),
        _f("start", "integer", "Offset of the first paragraph in the seed.", required=True, minimum=0),
        _f("end", "integer", "End offset (exclusive) of the last paragraph in the seed.", required=True, minimum=1),
        _f("n_paragraphs", "integer", "Number of paragraphs.", required=True, minimum=1),
        _f("token_count", "integer", "Word tokens in the text (corpus.nlp tokenizer).", required=True, minimum=1),
        _f(
            "text_sha256",
            "string",
            "SHA-256 of the UTF-8 text, to verify or rejoin texts.",
            required=True,
            pattern=r"^[0-9a-f]{64}$",
        ),
        _f("evidence", "string", "The catalog's evidence note for this seed or article.", required=True),
        _f(
            "unreviewed",
            "boolean",
            "True when no curator has reviewed the seed yet (no catalog row, or a draft row from `corpus add`).",
            required=True,
        ),
        _f("missing", "string", "What nobody knows yet, ';'-separated among outlet, perspective, date, url."),
    ],
    "primaryKey": ["doc_id"],
    "foreignKeys": [
        {"fields": ["seed"], "reference": {"resource": "seed_files", "fields": ["file"]}},
        {"fields": ["outlet_id"], "reference": {"resource": "outlets", "fields": ["outlet_id"]}},
    ],
}

PARAGRAPHS: Schema = {
    "fields": [
        _f("doc_id", "string", "The article.", required=True),
        _f("paragraph", "integer", "Number of the paragraph in the article (1-based).", required=True, minimum=1),
        _enum("kind", PARAGRAPH_KINDS, "A text paragraph, a subheading or a list item."),
        _f("start", "integer", "Offset of the paragraph in the seed.", required=True, minimum=0),
        _f("end", "integer", "End offset (exclusive) in the seed.", required=True, minimum=1),
        _f("text", "string", "The paragraph: the seed slice [start, end) after the listed repairs.", required=True),
        _enum("language", _ISO, "Detected language of the paragraph (ISO 639-1)."),
        _f(
            "repairs",
            "string",
            "Repairs applied, ';'-separated: " + ", ".join(f"{name} ({what})" for name, what in REPAIRS.items()) + ".",
            pattern=f"^(({_REPAIR})(;({_REPAIR}))*)?$",
        ),
    ],
    "primaryKey": ["doc_id", "paragraph"],
    "foreignKeys": [{"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}}],
}

BOILERPLATE: Schema = {
    "fields": [
        _f("seed", "string", "The raw seed file.", required=True),
        _f("line", "integer", "Line number in the seed (1-based).", required=True, minimum=1),
        _f("start", "integer", "Offset of the removed stretch.", required=True, minimum=0),
        _f("end", "integer", "End offset (exclusive).", required=True, minimum=0),
        _f(
            "kind",
            "string",
            "The rule that removed it (see catalog/rules.toml), or a structural role: title, "
            "alt-title, title-repeat, byline, dateline, header, caption, sidebar, duplicate-copy, rubric.",
            required=True,
        ),
    ],
    "primaryKey": ["seed", "start", "end"],
    "foreignKeys": [{"fields": ["seed"], "reference": {"resource": "seed_files", "fields": ["file"]}}],
}

STOPWORDS: Schema = {
    "fields": [
        {
            "name": "language",
            "type": "string",
            "description": "ISO 639-1 code of the language the list applies to.",
            "constraints": {"required": True, "enum": list(LANGUAGES)},
        },
        {
            "name": "word",
            "type": "string",
            "description": "A lowercase word removed before counting terms in that language.",
            "constraints": {"required": True},
        },
        {
            "name": "source",
            "type": "string",
            "description": "The package and version the word comes from.",
            "constraints": {"required": True},
        },
    ],
    "primaryKey": ["language", "word"],
}

CODEBOOK: Schema = {
    "fields": [
        {
            "name": "concept_id",
            "type": "string",
            "description": "Stable identifier of the concept.",
            "constraints": {"required": True, "unique": True, "pattern": "[a-z][a-z0-9_]*"},
        },
        {
            "name": "group",
            "type": "string",
            "description": "actor, topic or frame.",
            "constraints": {"required": True, "enum": list(GROUPS)},
        },
        {
            "name": "subgroup",
            "type": "string",
            "description": "Kind of actor (person, institution, country, media), 'topic', or the "
            "frame family (cooperation, confrontation, evaluative, distancing, reported-speech).",
            "constraints": {"required": True},
        },
        {"name": "label", "type": "string", "constraints": {"required": True}},
        {
            "name": "definition",
            "type": "string",
            "description": "What counts as a mention of the concept (the coding rule).",
            "constraints": {"required": True},
        },
        *(
            {
                "name": f"patterns_{language}",
                "type": "array",
                "description": f"JSON array of regular expressions matched case-insensitively on "
                f"whole words in text whose language is '{language}'.",
            }
            for language in LANGUAGES
        ),
    ],
    "primaryKey": ["concept_id"],
}

MENTIONS: Schema = {
    "fields": [
        {"name": "doc_id", "type": "string", "constraints": {"required": True}},
        {"name": "paragraph", "type": "integer", "constraints": {"required": True, "minimum": 1}},
        {"name": "concept_id", "type": "string", "constraints": {"required": True}},
        {
            "name": "language",
            "type": "string",
            "description": "Language of the paragraph, which selects the patterns used.",
            "constraints": {"required": True, "enum": list(LANGUAGES)},
        },
        {
            "name": "start",
            "type": "integer",
            "description": "Code-point offset of the match in the raw seed: the paragraph's start "
            "plus para_start. Exact when the paragraph has no repairs; otherwise use para_start.",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "end",
            "type": "integer",
            "description": "start plus the length of the match.",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "para_start",
            "type": "integer",
            "description": "Code-point offset of the match in the paragraph's text column.",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "para_end",
            "type": "integer",
            "description": "End offset (exclusive) of the match in the paragraph's text column.",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "text",
            "type": "string",
            "description": "The matched text as it appears in the paragraph.",
            "constraints": {"required": True},
        },
    ],
    "primaryKey": ["doc_id", "paragraph", "concept_id", "para_start"],
    "foreignKeys": [
        {"fields": ["concept_id"], "reference": {"resource": "codebook", "fields": ["concept_id"]}},
        {
            "fields": ["doc_id", "paragraph"],
            "reference": {"resource": "paragraphs", "fields": ["doc_id", "paragraph"]},
        },
    ],
}

EXTRACTION_QUALITY: Schema = {
    "fields": [
        _enum(
            "split",
            ("dev", "holdout", "all"),
            "Pages scored: dev (the rules were tuned on them), holdout (outlets never tuned on), or all.",
        ),
        _f("measure", "string", "What is counted (see the README, Extraction benchmark).", required=True),
        _f("right", "integer", "How many were right (lines or articles).", required=True, minimum=0),
        _f("total", "integer", "Out of how many.", required=True, minimum=0),
        _f("share", "number", "right / total (empty when total is 0).", minimum=0, maximum=1),
    ],
    "primaryKey": ["split", "measure"],
}

CODEBOOK_RULES: Schema = {
    "fields": [
        _f("rule_id", "string", "Stable identifier of the context rule.", required=True, unique=True),
        _f("description", "string", "What the rule leaves out, and why.", required=True),
        _f("applies_to", "array", "JSON array of the concept ids whose matches the rule can drop.", required=True),
        _f(
            "mask",
            "string",
            "A concept id whose matches hide the other concepts' matches inside them; empty otherwise.",
        ),
        *(
            _f(
                f"patterns_{language}",
                "array",
                f"JSON array of regular expressions (text whose language is '{language}'): a concept's match "
                "inside a match of one of them (inside its group named 'scope', if any) is not a mention.",
            )
            for language in LANGUAGES
        ),
    ],
    "primaryKey": ["rule_id"],
}

_SPLIT = _enum(
    "split",
    ("dev", "holdout", "all"),
    "Gold pages scored: 'dev' (the rules were tuned on them), 'holdout' (never looked at while tuning), 'all'.",
)
_GOLD_LANGUAGE = _f(
    "language", "string", "Language of the gold articles scored ('all' for every language).", required=True
)
_RATIO = {"minimum": 0, "maximum": 1}

CODEBOOK_QUALITY: Schema = {
    "fields": [
        _SPLIT,
        _GOLD_LANGUAGE,
        _enum("level", ("concept", "group", "all"), "What 'scope' names: one concept, a group of concepts, all."),
        _f("scope", "string", "A concept id, a group (actor, topic, frame) or 'all'.", required=True),
        _f("gold", "integer", "Mentions in the gold annotation.", required=True, minimum=0),
        _f("found", "integer", "Gold mentions overlapped by a match of the same concept.", required=True, minimum=0),
        _f("predicted", "integer", "Mentions the codebook finds on the gold lines.", required=True, minimum=0),
        _f(
            "correct",
            "integer",
            "Found mentions overlapping a gold mention of the same concept.",
            required=True,
            minimum=0,
        ),
        _f("precision", "number", "correct / predicted; empty without predictions.", **_RATIO),
        _f("recall", "number", "found / gold; empty without gold mentions.", **_RATIO),
    ],
    "primaryKey": ["split", "language", "level", "scope"],
}

QUOTE_QUALITY: Schema = {
    "fields": [
        _SPLIT,
        _GOLD_LANGUAGE,
        _f(
            "basis",
            "string",
            "How the speaker was found (named, reference, continuation, impersonal, none), or 'all'.",
            required=True,
        ),
        _f("gold", "integer", "Speech acts in the gold annotation (on 'all' rows; empty otherwise).", minimum=0),
        _f("predicted", "integer", "Speech acts found.", required=True, minimum=0),
        _f(
            "shown",
            "integer",
            "Found acts whose attribution is shown (confidence high or medium).",
            required=True,
            minimum=0,
        ),
        _f("matched", "integer", "Shown acts overlapping a gold act (one to one).", required=True, minimum=0),
        _f("right_speaker", "integer", "Matched acts with the gold's speaker.", required=True, minimum=0),
        _f("right_kind", "integer", "Matched acts with the gold's kind (direct, reported).", required=True, minimum=0),
        _f("right", "integer", "Matched acts with the gold's speaker and kind.", required=True, minimum=0),
        _f("precision", "number", "right / shown: how often a shown attribution is right.", **_RATIO),
        _f("recall", "number", "right / gold: share of gold acts found and attributed right ('all' rows).", **_RATIO),
    ],
    "primaryKey": ["split", "language", "basis"],
}
