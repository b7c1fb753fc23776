"""Bylines: who wrote the story. The one owner of the byline rule.

Candidates come from every place a page names its authors:

- the visible byline: printed at the end of the story or at its top (lines of the
  extracted body), or in the page's byline markup (the site's `authors` selectors of
  sites.toml, elements marked author/byline/writer, itemprop=author, rel=author);
- the page's metadata: <meta name=author> (article:author, byl, dc.creator…) and the
  JSON-LD article's `author`.

They are then reconciled as values:

- a candidate is a person's name only if it looks like one, in Vietnamese and in the
  page's own language: the words opening a byline ("Bài:", "Theo", "By", "Von", "Par",
  "Por", "Di"…) are taken off, and what has digits, an address, a sentence's shape or
  common lowercase words is no name (`judge_name`);
- a heading or the label of a box of links ("Liên quan", "Tin liên quan", "Xem thêm",
  "Related"…) is never a name: by its shape in the page (a heading element, or plain text
  in a box of links), and by a small list of labels (`is_label`);
- names printed in separate elements stay separate ("<a>Nhật Xuân</a><a>Nghi Vũ</a>" is
  two people, not "Nhật Xuân Nghi Vũ");
- author markup that names another story's author or no author is passed over by its
  place: a teaser card (a small box linking another story by its headline), a photo's box
  (an agency's credit), a promotion (the name only part of a link's text);
- by their shape, no name is: a photo credit ("Fot. Filmweb", "Getty Images"), a dateline
  ("CHICAGO—"), a heading's opening ("Zur Person"), a box label's, a desk's, a company's or a
  toolbar's words, a copyright line, an organisation followed by its address, a list of one
  brand's products, garbled text ("JaroÅ"), a handle with capitals inside ("AgE"); a degree
  ("M.P.H"), a desk's job title ("Health reporter") or a paper ("Calgary Sun") after the
  name is cut off;
- what the page shows around a name makes it no person (`not_people`): the copyright
  holder's network linked on another host, the host's short name, the CMS's maker, a
  poll's author, a menu of the site's authors, an author <meta> field that is a business
  card (given again with a telephone number: the agency that built the site); initials alone are no name on a page that
  is not Vietnamese; an avatar's initials in a box of their own are no part of the name
  beside them; a name printed surname first after a comma is one person;
- the visible byline wins; when none is found, the metadata's names are used.
"""

from __future__ import annotations

import re
from itertools import islice
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from tdbvantq.importer import clutter, not_people, page_meta, press
from tdbvantq.importer.article import Block
from tdbvantq.importer.classwords import CaseBlind
from tdbvantq.importer.markdown import collapse
from tdbvantq.importer.page_parse import Page, ld_types, text_of
from tdbvantq.importer.textkey import fold
from tdbvantq.text import normalize

# --- the name judge --------------------------------------------------------------------------

# Words that open a byline before the names, by language. Vietnamese and English ones are
# read on every page; another language's only on a page in that language (or one that does
# not say), since "Di", "Von" or "Por" may also begin a surname ("Di Maria").
BYLINE_PREFIXES: dict[str, tuple[str, ...]] = {
    "vi": (
        "bài và ảnh",
        "bài, ảnh",
        "bài & ảnh",
        "bài",
        "tin và ảnh",
        "tin, ảnh",
        "tin",
        "thực hiện",
        "nhóm tác giả",
        "tác giả",
        "video",
        "clip",
        "phóng viên",
        "pv",
        "bởi",
    ),
    "en": (
        "written by",
        "reporting by",
        "reported by",
        "story by",
        "posted by",
        "published by",
        "created by",
        "words by",
        "about the author",
        "by",
        "about",
        "words",
        "text",
        "authors",
        "author",
    ),
    "de": (
        "ein kommentar von",
        "ein beitrag von",
        "eingestellt von",
        "veröffentlicht von",
        "erstellt von",
        "geschrieben von",
        "verfasst von",
        "eine analyse von",
        "von",
        "text",
        "autorin",
        "autor",
        "autoren",
        "rechtsanwalt",
        "rechtsanwältin",
    ),
    "fr": ("propos recueillis par", "publié par", "écrit par", "par", "texte", "auteurs", "auteur"),
    "es": ("escrito por", "publicado por", "escribe", "por", "texto", "autor", "autora"),
    "pt": ("escrito por", "publicado por", "por", "texto", "autor", "autora"),
    "it": ("a cura di", "scritto da", "pubblicato da", "di", "testo", "autore", "autrice"),
    "nl": ("door", "tekst", "auteur"),
    "pl": ("autor", "autorka", "tekst"),
    "ru": ("автор", "текст"),
    # Greek: "Από Δημήτρης Βέργος" ("by"), "Γράφει ο …" ("writes").
    "el": ("γράφει ο", "γράφει η", "γράφει", "από", "συντάκτης", "κείμενο"),
}
# Every one-word opening of a byline, in any language ("von", "by", "bài").
_OPENING_WORDS = frozenset(
    p.casefold() for group in BYLINE_PREFIXES.values() for p in group if " " not in p
)
# "Theo TTXVN", "Nguồn: VnExpress": a credit to a source (an agency may be an acronym).
_CREDIT = re.compile(r"^(?:theo|nguồn)\s*:?\s+(?P<name>[^;:]{2,80}?)\.?\s*$", re.IGNORECASE)
# "(tổng hợp)", "(TH)", "- Tổng hợp", "(theo VnExpress)" after the names.
_COMPILED_BY = re.compile(
    r"\s*(?:\((?:tổng hợp|th|t/h|tổng hợp[^)]*|theo [^)]+|lược dịch|dịch)\)|[-–—]\s*tổng hợp)\s*\.?$",
    re.IGNORECASE,
)
_NAME_SEPARATORS = re.compile(
    r"\s+[-–—/&|]\s+|-(?=The\s)|\s*[,;]\s*|\s+(?i:và|and|und|et)\s+|\s+(?:y|e|i|en)\s+"
)
# Collective bylines, kept as written.
_GROUP_NAMES = re.compile(
    r"^(?:nhóm (?:pv|phóng viên|tác giả)|pv|ctv|nhóm pv)(?:\s.*)?$", re.IGNORECASE
)
# Lowercase words inside a name ("Ludwig van Beethoven", "Ursula von der Leyen").
_PARTICLES = frozenset(
    {
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "da",
        "das",
        "do",
        "dos",
        "du",
        "di",
        "la",
        "le",
        "zu",
        "ten",
        "ter",
        "bin",
        "binti",
        "al",
        "el",
        "y",
        "e",
        "st",
    }
)
# What metadata fields hold where no person is named.
_NOT_PEOPLE = frozenset(
    {
        "admin",
        "administrator",
        "editor",
        "editors",
        "staff",
        "team",
        "redaktion",
        "redacción",
        "redazione",
        "rédaction",
        "redactie",
        "guest",
        "anonymous",
        "unknown",
        "webmaster",
        "author",
        "ban bien tap",
        "bien tap vien",
        "quan tri vien",
        "toa soan",
        "bbt",
        "news desk",
        "newsdesk",
        "newsroom",
    }
)
# Words that are no part of a person's name: roles, organisations, widgets (casefolded).
_NOT_NAME_WORDS = frozenset(
    word.casefold()
    for word in {
        "staff",
        "writer",
        "writers",
        "columnist",
        # Job titles printed beside or after the name ("Irena Piątkiewicz, Marketing Manager",
        # "Patrick Scully SEO Specialist", "Android Lead"); "Member" under a forum post.
        "manager",
        "officer",
        "analyst",
        "specialist",
        "consultant",
        "strategist",
        "founder",
        "co-founder",
        "ceo",
        "cto",
        "cfo",
        "coo",
        "lead",
        "member",
        "members",
        "teams",
        "biography",
        "biographie",
        "biografie",
        "team",
        "account",
        "twitter",
        "facebook",
        "instagram",
        "linkedin",
        "artikel",
        "alle",
        "all",
        "quelle",
        "source",
        "foto",
        "fotos",
        "photo",
        "photos",
        "credit",
        "credits",
        # Words of a box's label ("Related Subjects", "Business Directory").
        "related",
        "subjects",
        "topics",
        "directory",
        # A desk's byline ("Recorder Report", "Staff Report", "Wire Reports").
        "report",
        "reports",
        "desk",
        "bureau",
        "wire",
        "wires",
        # Companies ("Ford Motor Company"; "Co" is also a surname: "Emily Co").
        "company",
        "corporation",
        "group",
        # The site's legal links ("Disclaimer | Privacy Policy | Contact Us").
        "privacy",
        "policy",
        "disclaimer",
        "terms",
        "cookies",
        "impressum",
        "imprint",
        "datenschutz",
        # A team's plural ("Android Developers", "Cooling Experts").
        "developers",
        "experts",
        "engineers",
        # A toolbar's words ("Text Size Print E-mail").
        "print",
        "e-mail",
        "email",
        "size",
        "share",
        "tweet",
        # A photo agency's credit ("Getty Images", "Fot. Filmweb").
        "images",
        "image",
        "fot",
        "photography",
        "fotografie",
        "redaktion",
        "editor",
        "editors",
        "editorial",
        "news",
        "newsroom",
        "nachrichten",
        "zeitung",
        "magazin",
        "magazine",
        "verlag",
        "online",
        "media",
        "medien",
        "press",
        "presse",
        "gmbh",
        "architekten",
        "architects",
        "ag",
        "kg",
        "e.v",
        "plc",
        "corp",
        "inc",
        "ltd",
        "llc",
        "abteilung",
        "feuerwehr",
        "verein",
        "club",
        "universität",
        "university",
        "department",
        "office",
        "kontakt",
        "contact",
        "admin",
        "administrator",
        "guest",
        "gast",
        "gastbeitrag",
        "gastautor",
        "profil",
        "profile",
        "view",
        "posted",
        "mehr",
        "more",
        "sagt",
        "says",
        "kommentare",
        "comments",
        "beitrag",
        "beiträge",
        "posts",
        "blog",
        "support",
        "service",
        "agency",
        "agentur",
        "agence",
        "agencia",
        "agência",
        "agenzia",
        "agencja",
        "агентство",
        "редакция",
        "redakcja",
        "redação",
        "polizei",
        "police",
        "advertiser",
        "gazette",
        "herald",
        "tribune",
        "daily",
        "jornal",
        "journal",
        "noticias",
        "notícias",
        "новости",
        "contributor",
        "contributors",
        "with",
        "redazione",
        "rédaction",
        "redacción",
        "webmaster",
        "anonymous",
        "unknown",
        "reporter",
        "correspondent",
        "reuters",
        "bloomberg",
        "xinhua",
        "chefredakteur",
        "chefredakteurin",
        "redakteur",
        "redakteurin",
        "gesponserte",
        "inhalte",
        "sponsored",
        "content",
        "deine",
        "dein",
        "your",
        "yours",
        "euer",
        "eure",
        "join",
        "conversation",
        "follow",
        "agencies",
        "collectif",
        "user",
        "bio",
        "full",
        "illustrierte",
        "analyse",
        "experte",
        "expertin",
        "gruß",
        "grüße",
        "veröffentlicht",
        "letzte",
        "änderung",
        "aktualisierung",
        "actualizado",
        "phd",
        "repeat",
        "chorus",
        "solutions",
        "kitchens",
        "bundesverband",
        "verband",
        "fraktion",
        "the",
        "amt",
        "kirche",
        "diakonie",
        "praxis",
        "cortesía",
        "courtesy",
        "presidente",
        "president",
        "deutschland",
        "germany",
        "österreich",
        "schweiz",
        "france",
        "españa",
        "polska",
        # An organisation's or an agency's word ("Noble Health", "Bang Showbiz").
        "health",
        "showbiz",
    }
)
# A copyright notice ("新浪公司 版权所有", "© 2012 …", "All rights reserved").
_COPYRIGHT = re.compile(
    r"©|\(c\)|版权所有|版權所有|copyright|all rights reserved|alle rechte|tous droits|"
    r"todos los derechos|wszelkie prawa|все права",
    re.IGNORECASE,
)
_NOT_IN_NAMES = re.compile(
    r"\d|https?:|www\.|@|/|\\|_|[<>{}\[\]=#%*+\"“”«»?!:，。！？（）：；、「」]"
)
# Compound words naming an organisation or a role ("TVT-Redaktion", "FOCUS-Online-Experte").
_NOT_NAME_ENDINGS = (
    "team",  # "Campact-Team", "PETA-Team"
    # German abstract nouns ("Klimaneutralität", "Sicherheit", "Gemeinschaft"), never names
    "ität",
    "heit",
    "keit",
    "schaft",
    "redaktion",
    "blog",
    "experte",
    "expertin",
    "vorsitzender",
    "vorsitzende",
    "nachrichten",
    "zeitung",
    "magazin",
    "verlag",
)
# A date or time after the names ("By Poppy Reid Feb 21, 2020", "Von Anna Schmidt | 03.05.2024").
_TRAILING_DATE = re.compile(
    r"\s*(?:[|,·•–—-]\s*)?(?:(?:last|zuletzt)?\s*\b(?:on|am|le|el|il|updated|published|aktualisiert|cập nhật)\s+)*"
    r"(?:\b(?:mo|di|mi|do|fr|sa|so|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday)\b\.?,?\s*)?"
    r"(?:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mär|mai|okt|dez|janv|févr|avr|juin|juil|"
    r"août|déc|ene|abr|ago|dic|gen|giu|lug|ott|tháng)[a-zé.]*\s+\d|\d).*$",
    re.IGNORECASE,
)
_MAX_SINGLE_NAME = 24
_ARTICLES = frozenset(
    {"the", "die", "das", "der", "la", "el", "los", "las", "le", "les", "il", "lo"}
)
# Words that open a heading, never a name, on a page that is not Vietnamese: a preposition
# fused with an article, or a possessive ("Zur Person", "Über uns", "Our Team").
_HEADING_OPENINGS = frozenset(
    "zur zum im am vom beim ins über für unsere unser our my your for from into onto "
    "sur pour avec dans sobre para com con nella nello sulla".split()
)
# A dateline's place ends with a dash glued to it or after it ("CHICAGO—", "ΛΟΝΔΙΝΟ -").
_DATELINE_DASH = re.compile(r"[-–—]\s*$")
# Text decoded in the wrong charset (UTF-8 read as Latin-1: "JaroÅ", "MÃ¼ller"): a capital
# A-variant glued after a small letter, or followed by a Latin-1 symbol or a Windows quote.
_MOJIBAKE = re.compile(
    r"(?<=[a-z])[ÃÅÂÄ](?![a-zà-ÿ])|[ÃÂÅ][\u0080-\u00bf\u2018-\u203a\u20ac\u2122]"
)
# Academic degrees and credentials after a name ("Elle Penner M.P.H", "Jane Doe, PhD").
_DEGREE = re.compile(
    r"^(?:(?:[A-Z][a-z]?\.){2,4}[A-Z]?[a-z]?\.?|Ph\.?D\.?|PHD|M\.?D\.?|MPH|MBA|MSc|BSc|RDN?|"
    r"LDN|DDS|RN|CPA|Esq\.?|LCSW|CDE|CSCS)$"
)
# A byline's opening words glued to the name ("ByGavin O'Callaghan", "AuthorAndreas Kalt").
_GLUED_OPENING = re.compile(r"^(By|Von|Par|Por|Author|Autor|Auteur)(?=[^\W\d_][^\W\d_])")
# A weekday glued to a name before its date ("Heiko SauerDo, 12.03.2020").
_GLUED_WEEKDAY = re.compile(
    r"(?<=[a-zß])(?=(?:Mo|Di|Mi|Do|Fr|Sa|So|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b\.?,?\s*\d)"
)
# "Kanika Mehtaon Tue, 01/17/2012": "on" and a weekday glued to the name.
_GLUED_ON = re.compile(r"(?<=[a-z])(?=on (?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b)")
# "Itamar Turner-TrauringLast updated …": a page's words glued to the name.
_GLUED_UPDATE = re.compile(
    r"(?<=[a-zà-ỹß])(?=(?:Last|Updated|Published|Aktualisiert|Veröffentlicht)\b)"
)
# A site's name in capitals glued to the name ("Jonathan GarberFOXBusiness").
_GLUED_CAPITALS = re.compile(r"(?<=[a-zß])[A-Z]{2,}\w*$")
_MAX_NAME_WORDS = 6
_MAX_NAME_CHARS = 60
_MAX_LINE_CHARS = 100
# "Ảnh: Hà Phong", "(Ảnh: Hà Phong)", "Photo: …": the credit of a photo names who took it,
# never the story's author ("Bài, ảnh: …" credits both, and stays a byline).
# The abbreviated credit words end with a dot, not a colon ("Fot. Filmweb", "Zdj. PAP").
_PHOTO_CREDIT = re.compile(
    r"^[(\[]?\s*(?:(?:ảnh|hình|hình ảnh|ảnh minh họa|photo|photos|foto|fotos|bild|bilder|"
    r"image|images|zdjęcie|zdjęcia|фото|φωτογραφία|φωτογραφίες)\s*:|(?:fot|zdj|φωτ)\.)",
    re.IGNORECASE,
)

# Labels of boxes, headings and widgets printed near a byline (folded). A label found by
# its shape in the page is caught without this list; it covers text copies and pages
# whose markup says nothing.
LABELS: frozenset[str] = frozenset(
    fold(label)
    for label in (
        "liên quan",
        "tin liên quan",
        "bài liên quan",
        "tin bài liên quan",
        "xem thêm",
        "đọc thêm",
        "xem tiếp",
        "đọc tiếp",
        "tin khác",
        "các tin khác",
        "tin mới",
        "tin mới nhất",
        "mới nhất",
        "tin nóng",
        "tin nổi bật",
        "nổi bật",
        "đọc nhiều",
        "đọc nhiều nhất",
        "xem nhiều",
        "xem nhiều nhất",
        "tin cùng chuyên mục",
        "cùng chuyên mục",
        "chuyên mục",
        "có thể bạn quan tâm",
        "bạn có thể quan tâm",
        "tin đọc nhiều",
        "tin tức",
        "thời sự",
        "video",
        "ảnh",
        "multimedia",
        "trang chủ",
        "liên hệ",
        "chia sẻ",
        "bình luận",
        "ý kiến",
        "từ khóa",
        "tags",
        "quảng cáo",
        "related",
        "related stories",
        "related articles",
        "related news",
        "related content",
        "read more",
        "read next",
        "more stories",
        "more news",
        "more from",
        "see also",
        "most read",
        "most popular",
        "popular",
        "trending",
        "trending now",
        "latest",
        "latest news",
        "top stories",
        "recommended",
        "recommended for you",
        "you may also like",
        "you might also like",
        "editor's picks",
        "editors' picks",
        "share",
        "share this",
        "comments",
        "advertisement",
        "newsletter",
        "follow us",
        "home",
        "contact",
        "menu",
        "search",
        "mehr zum thema",
        "weiterlesen",
        "das könnte sie auch interessieren",
        "lesen sie auch",
        "lire aussi",
        "à lire aussi",
        "sur le même sujet",
        "leer más",
        "también te puede interesar",
        "noticias relacionadas",
        "leggi anche",
        "articoli correlati",
        "lees ook",
        "czytaj także",
        "zobacz także",
        "читайте также",
        "похожие новости",
    )
) | frozenset(
    fold(line) for line in (*press.END_MARKERS, *press.CLUTTER_LINES, *press.RELATED_PREFIXES)
)


def is_label(text: str, subject: frozenset[str] = frozenset()) -> bool:
    """A label of a box, heading or widget by its words ("Tin liên quan", "Read more").
    `subject`: notice phrases the headline says (`press.notice_phrases`), no label's."""
    line = press.clean_line(text).strip(" :.»>-–")
    return (
        fold(line) in LABELS
        or press.is_related_pointer(line)
        or press.is_end_marker(line)
        or press.is_notice(line, subject)
    )


def _prefixes(lang: str) -> tuple[str, ...]:
    if lang in BYLINE_PREFIXES and lang not in ("vi", "en"):
        return (*BYLINE_PREFIXES["vi"], *BYLINE_PREFIXES["en"], *BYLINE_PREFIXES[lang])
    if lang in ("vi", "en"):
        return (*BYLINE_PREFIXES["vi"], *BYLINE_PREFIXES["en"])
    return tuple(p for group in BYLINE_PREFIXES.values() for p in group)


def _prefix_pattern(lang: str) -> re.Pattern[str]:
    words = sorted(set(_prefixes(lang)), key=len, reverse=True)
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s*") for w in words)
    return re.compile(rf"^(?:{alternatives})\s*:?\s+(?P<name>.+?)\s*$", re.IGNORECASE)


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _byline_pattern(lang: str) -> re.Pattern[str]:
    lang = lang if lang in BYLINE_PREFIXES else ""
    if lang not in _PATTERNS:
        _PATTERNS[lang] = _prefix_pattern(lang)
    return _PATTERNS[lang]


def title_case_name(name: str) -> str:
    """ "PHONG ANH" -> "Phong Anh"; mixed-case names are kept as written."""
    name = press.clean_line(name).strip(" .")
    if name.isupper() and " " in name and not _GROUP_NAMES.match(name):
        # (a one-word credit in capitals is an acronym: TTXVN)
        return " ".join(part[:1].upper() + part[1:].lower() for part in name.split(" "))
    return name


def _capitalised(word: str) -> bool:
    first = word[:1]
    # Scripts without letter case (Chinese, Thai, Arabic…) cannot show a capital.
    return first.isupper() or (first.isalpha() and not first.islower())


def looks_like_name(text: str) -> bool:
    """2-6 words, each capitalised (name particles such as "van", "de" aside)."""
    parts = press.clean_line(text).replace(" - ", " ").split()
    if not 2 <= len(parts) <= _MAX_NAME_WORDS or len(text) > _MAX_NAME_CHARS:
        return False
    if not (_capitalised(parts[0]) and _capitalised(parts[-1])):
        return False
    return all(
        (
            _capitalised(part)
            and any(c.isalpha() for c in part)
            and (part[:1].isupper() or len(part) <= 4)
        )
        or part in _PARTICLES
        for part in parts
    )


_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_MAX_HAN_NAME = 5  # a Chinese or Japanese name in Han characters, without a middle dot


def _caseless_name(text: str) -> bool:
    """A name written in a script without spaces or case ("张三", "ณัฐพล")."""
    letters = text.replace("·", "").replace("・", "").replace(" ", "")
    if _HAN.match(letters) and len(letters) > _MAX_HAN_NAME:
        return False  # "点击设置头像发言" (a widget's words), not "孔德明"
    return 2 <= len(letters) <= 12 and all(
        c.isalpha() and not c.isupper() and not c.islower() for c in letters
    )


def _glued(word: str) -> bool:
    """Words glued together ("ChevezActualizado", "EitzenHagen"), or an organisation's
    CamelCase ("SeglerBlog"); "McDonald", "MacArthur", "DeFino" are names."""
    return any(
        word[i].isupper() and word[i + 1].islower() and all(c.islower() for c in word[i - 3 : i])
        for i in range(3, len(word) - 1)
    )


def _not_name_word(word: str) -> bool:
    """A word that is no part of a name: a role, an organisation's word, a byline's opening
    word ("Von", "By"; name particles such as "von der" aside, but never alone), a possessive
    ("Farmer's Market", "Women's Crocs")."""
    if _glued(word):
        return True
    word = word.casefold().strip(".,")
    return (
        word in _NOT_NAME_WORDS
        or word.endswith(("'s", "’s", "s'", "s’"))
        or word.endswith(_NOT_NAME_ENDINGS)
        or (word in _OPENING_WORDS and word not in _PARTICLES)
    )


def _printed_twice(text: str) -> bool:
    """A name printed twice over, with or without a space ("想念你 想念你", "Tom AuTom Au")."""
    letters = "".join(text.split())
    half = len(letters) // 2
    return len(letters) % 2 == 0 and letters[:half] == letters[half:]


_ROMAN = re.compile(r"^(?:I{1,3}|IV|VI{0,3}|IX|X)$")


def _acronym(word: str) -> bool:
    """A word of two or more capitals and no small letter ("NOW", "AMP", "EFC", "AG"), not a
    Roman numeral ("III") nor initials ("J.R.")."""
    letters = word.strip(".,")
    return (
        len(letters) >= 2
        and letters.isalpha()
        and letters.isupper()
        and any(c.isupper() for c in letters)
        and not _ROMAN.match(letters)
    )


def _single_name(text: str) -> bool:
    """One capitalised word of letters ("Floyd", "Lars", "McKenna", "Jean-Luc"): a name only
    where the page states that it names the author (metadata, author markup). Capitals
    inside the word make an agency's or a user's handle ("AgE", "JeGX", "StephenT")."""
    letters = text.replace("-", "").replace("'", "").replace("’", "")
    parts = re.split(r"[-'’]", _MAC.sub("", text))
    return (
        2 <= len(text) <= _MAX_SINGLE_NAME
        and letters.isalpha()
        and _capitalised(text)
        and not text.isupper()
        and not any(_capitals_inside(part) for part in parts)
        and text.casefold() not in _OPENING_WORDS | _PARTICLES
    )


_MAC = re.compile(r"^(?:Mc|Mac|Fitz)(?=[A-Z])")


def _capitals_inside(word: str) -> bool:
    """Capitals inside a word as an acronym or a handle has them: two together ("PHajek",
    "JeGX") or as many as small letters ("AgE"); a user's name and initial stays ("HansG")."""
    capitals = sum(c.isupper() for c in word)
    together = any(a.isupper() and b.isupper() for a, b in zip(word, word[1:], strict=False))
    return together or (capitals > 1 and capitals * 2 >= len(word))


def _is_name(text: str, *, explicit: bool, stated: bool = False, lang: str = "") -> bool:
    """A person's name (2-6 capitalised words), or in an explicit byline also a group or
    (on a Vietnamese page) an agency's acronym ("Nhóm PV", "TTXVN"); where the page states
    it names the author, also one capitalised word."""
    if _NOT_IN_NAMES.search(text) or is_label(text) or fold(text) in _NOT_PEOPLE:
        return False
    if (
        _DATELINE_DASH.search(text)
        or _MOJIBAKE.search(text)
        or _garbled_capitals(text)
        or _COPYRIGHT.search(text)
        or text.startswith("(")
    ):
        # "CHICAGO—" opens a dateline; "Dariusz JaroÅ" is a name the page garbled.
        return False
    if _GROUP_NAMES.match(text):
        return explicit or text[:1].isupper()
    words = text.split()
    if any(_not_name_word(word) for word in words) or _printed_twice(text):
        return False
    if text.count("(") != text.count(")") or any(
        a.casefold() == b.casefold() for a, b in zip(words, words[1:], strict=False)
    ):
        # A cut-off aside ("Red Hat)") or a word printed twice over ("Birkenstock
        # Birkenstock Arizona Sandal", a product's name) is no name.
        return False
    if _organisation(text):
        # "NOW Grenada", "AMP Project Marketing"; a surname in capitals comes last
        # ("Chokri GHARBI").
        return False
    if words[0].casefold() in _ARTICLES:  # "Die Tagespresse", "La República", "El Colombiano"
        return False
    if lang != "vi" and words[0].casefold() in _HEADING_OPENINGS:  # "Zur Person"
        return False
    if (
        lang not in ("vi", "")
        and text.isupper()
        and len(words) > 1
        and all(len(w.strip(".")) <= _MAX_INITIALS for w in words)
    ):
        return False  # a reporter's initials and the agency's ("PG PAP", "DSW DPA")
    if lang not in ("vi", "") and _initials_only(words):
        # Initials alone ("K A", "J. D.") identify nobody, even where the page marks them as
        # its author; Vietnamese papers sign with initials ("H.A"), so not on their pages.
        return False
    if len(words) > 2 and words[-1].casefold().strip(".") == "co":
        return False  # a company ("Interline Pro Co"); "Emily Co" is a person
    if looks_like_name(text):
        return True
    if explicit and _caseless_name(text):
        return True
    if stated and " " not in text and _single_name(text):
        return True
    return (
        explicit
        and lang in ("", "vi")
        and text.isupper()
        and 2 <= len(text) <= 12
        and " " not in text
    )


def _initials_only(words: list[str]) -> bool:
    return all(len(w.strip(".")) == 1 for w in words)


def _names(text: str, *, explicit: bool, stated: bool = False, lang: str = "") -> list[str]:
    # The date is cut off only from a name of two words or more ("Phòng 204" stays).
    undated = _TRAILING_DATE.sub(
        "", _GLUED_WEEKDAY.sub(" ", _GLUED_UPDATE.sub(" ", _GLUED_ON.sub(" ", text)))
    )
    if " " in undated and not undated.isupper():  # "THANH HƯƠNG" is capitals throughout
        undated = _GLUED_CAPITALS.sub("", undated)
    text = undated if looks_like_name(undated) else text
    names = [press.clean_line(n).strip(" .") for n in _NAME_SEPARATORS.split(text)]
    # A job title glued after the first name ("Patrick Scully SEO Specialist") is cut; a later
    # part is judged whole ("Tom Krisher, Ap Auto Writer": the desk, not a second person).
    names[0] = _without_role(names[0])
    names = [_without_degree(n) for n in names]
    # A role or an opening word listed with the names ("Christoph Hein; Chefredakteur") is
    # left out; beside an organisation, single words are its address ("Olympia-Verlag GmbH,
    # Nürnberg, Germany"; "Kirche und Leben, Münster"), not people.
    listed = [n for n in names if n]
    names = [n for n in listed if not all(_not_name_word(w) for w in n.split())]
    if len(names) < len(listed) and not any(" " in n for n in names):
        return []
    if len(listed) >= _PRODUCT_LIST and len({n.split()[-1].casefold() for n in listed}) == 1:
        return []  # a list of products of one brand ("Sale Crocs; Fuzzy Crocs; Kids Crocs")
    if len(listed) > 1 and " " in listed[0] and _organisation(listed[0]):
        # An organisation first, then its address ("Source: University of California, San
        # Francisco"; "Massey University, New Zealand"): no person.
        return []
    # One word beside full names is a place or a degree ("Markus Balser; Berlin", "…; PhD").
    if len(names) > 1 and any(" " in n for n in names):
        names = [n for n in names if " " in n]
    if len(names) > 1 and " " in names[0]:
        # A paper's name after the author's ("Jenna McMurray, Calgary Sun"): where the
        # reporter works, not a second person.
        names = [names[0], *(n for n in names[1:] if not _paper(n))]
    if len(names) > 1 and any(_is_name(n, explicit=True, lang=lang) for n in names):
        # An affiliation after the name in a byline ("Posted by Alex Durán, AMP Project
        # Marketing, Google") is left out.
        # (Not a part with digits: a date or a counter glued to the last name.)
        names = [n for n in names if not (_organisation(n) and not any(map(str.isdigit, n)))]
    if not names or not all(
        _is_name(n, explicit=explicit, stated=stated, lang=lang) for n in names
    ):
        return []
    return [title_case_name(n) for n in names]


_PRODUCT_LIST = 3
_MAX_INITIALS = 3
# Words that open a job title after a name ("… Senior Analyst", "… Chief Marketing Officer").
_ROLE_WORDS = frozenset(
    "senior junior chief head principal executive managing general marketing sales business "
    "product technical digital content community social political health medical science "
    "environment education economics technology consumer crime foreign sports".split()
)


_JOB_TITLES = frozenset(
    "manager officer analyst specialist consultant strategist founder co-founder ceo cto cfo "
    "coo lead member columnist writer editor reporter correspondent".split()
)


def _without_role(name: str) -> str:
    """A name without the job title printed after it ("Patrick Scully SEO Specialist" ->
    "Patrick Scully"): the trailing role words, acronyms and title words are cut when a name
    of two words or more is left."""
    words = name.split()
    end = len(words)
    while end > 2 and words[end - 1].casefold().strip(".,") in _JOB_TITLES:
        end -= 1
    if end == len(words):
        return name
    while end > 2 and (_acronym(words[end - 1]) or words[end - 1].casefold() in _ROLE_WORDS):
        end -= 1
    if any(w.casefold() in _ROLE_WORDS | _JOB_TITLES for w in words[:end]) or _acronym(words[0]):
        return name  # a title throughout ("Chief Marketing Officer"), an agency's desk ("AP …")
    head = " ".join(words[:end])
    return head if looks_like_name(head) else name


# The last word of a newspaper's name ("Calgary Sun", "Langley Advance", "Irish Times").
_PAPER_WORDS = frozenset(
    "sun advance times post star observer chronicle courier examiner telegraph express "
    "mirror recorder record globe standard independent guardian inquirer sentinel dispatch "
    "bulletin review herald gazette tribune journal news daily weekly today".split()
)


def _paper(name: str) -> bool:
    """A newspaper's shape: two words or more, the last a paper's ("Calgary Sun")."""
    words = name.split()
    return len(words) >= 2 and words[-1].casefold() in _PAPER_WORDS


def _garbled_capitals(text: str) -> bool:
    """Two accented Latin capitals together before small letters ("ŇĀukasz BrzeziŇĄski",
    UTF-8 read in another charset): no name is written so."""
    return any(
        "\u00c0" <= a <= "\u024f"
        and "\u00c0" <= b <= "\u024f"
        and a.isupper()
        and b.isupper()
        and c.islower()
        for a, b, c in zip(text, text[1:], text[2:], strict=False)
    )


def _without_degree(name: str) -> str:
    """A name without the degrees printed after it ("Elle Penner M.P.H" -> "Elle Penner"),
    when a name of two words or more is left."""
    words = name.split()
    end = len(words)
    while end > 2 and _DEGREE.match(words[end - 1].strip(",")):
        end -= 1
    return " ".join(words[:end]) if end < len(words) else name


def _organisation(text: str) -> bool:
    """An organisation's shape: led by an acronym ("AMP Project Marketing") or holding an
    organisation's word ("Google News", "Olympia-Verlag GmbH")."""
    words = text.split()
    return (
        (len(words) > 1 and _acronym(words[0]) and not text.isupper())
        or any(_not_name_word(w) for w in words)
        or _office(words)
    )


_MAX_OFFICE_ACRONYM = 3


def _office(words: list[str]) -> bool:
    """An office or department named "<noun> <particle> <acronym>" ("Coordenadoria de TI",
    "Departamento de RH"): a surname follows a particle, never a short acronym."""
    return (
        len(words) > 2
        and words[-2].casefold() in _PARTICLES
        and _acronym(words[-1])
        and len(words[-1].strip(".,")) <= _MAX_OFFICE_ACRONYM
        and not " ".join(words).isupper()
    )


def _surname_opening(line: str, match: re.Match[str]) -> bool:
    """Whether a byline's opening word may begin the name itself ("Di Maria", "Von Trier"):
    one word that is also a name particle, before no article ("Von Der Spendenteddy" and
    "Eingestellt von der Michel" are an opening before a pseudonym, not a name)."""
    opening = line[: match.start("name")].strip(" :").casefold()
    rest = match["name"].split()
    return opening in _PARTICLES and bool(rest) and rest[0].casefold() not in _ARTICLES


def parse_authors(
    line: str, lang: str = "", *, explicit: bool = False, stated: bool = False
) -> list[str]:
    """Every author a byline line names, each on their own; [] when it is not a byline.

    "Bài, ảnh: PHONG ANH" -> ["Phong Anh"]; "Bá Đô - Quỳnh Trang" -> both; "Hà Thu (tổng
    hợp)" -> ["Hà Thu"]; "Theo TTXVN" -> ["TTXVN"]; "NHÓM PV" -> ["NHÓM PV"]; on a German
    page "Von Anna Schmidt" -> ["Anna Schmidt"]. `explicit`: the line is known to be a
    byline, so an acronym or a name in a caseless script counts; `stated`: the page says it
    names the author (a metadata field, author markup), so one capitalised word counts.
    """
    line = press.clean_line(normalize(line))
    glued = _GLUED_OPENING.match(line)
    if glued and line[glued.end()].isupper() and line[glued.end() + 1].islower():
        line = f"{glued[1]} {line[glued.end() :]}"
    if not line or len(line) > _MAX_LINE_CHARS or is_label(line) or is_photo_credit(line):
        return []
    compiled = _COMPILED_BY.search(line)
    core = line[: compiled.start()].strip() if compiled else line
    for pattern in (_byline_pattern(lang), _CREDIT):
        match = pattern.match(core)
        if match:
            names = _names(
                match["name"], explicit=True, stated=stated and pattern is not _CREDIT, lang=lang
            )
            if names or pattern is _CREDIT or not _surname_opening(core, match):
                return names
    if _GROUP_NAMES.match(core):
        return [core]
    if explicit or stated or compiled or core.isupper():
        return _names(core, explicit=True, stated=stated, lang=lang)
    if core[-1:] in press.TERMINAL:
        return []
    return _names(core, explicit=False)


def is_photo_credit(line: str) -> bool:
    """A line that credits a photo only ("Ảnh: Hà Phong"): its photographer, no author."""
    return bool(_PHOTO_CREDIT.match(normalize(line).strip()))


def judge_name(text: str, lang: str = "") -> str | None:
    """The person's name a candidate gives (its byline words taken off, capitals made a
    name's), or None when it is not one name."""
    names = parse_authors(text, lang, explicit=True, stated=True)
    return names[0] if len(names) == 1 else None


def parse_byline(line: str, lang: str = "") -> str | None:
    """The authors named by a byline line as one string ("A, B"), or None."""
    return ", ".join(parse_authors(line, lang)) or None


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(fold(name), name)
    return list(seen.values())


# --- the page's shapes: labels and names printed apart -------------------------------------

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# ("authorized", "authorization": a login box, not an author)
_AUTHOR_CLASS = CaseBlind(r"author(?!i[sz])|tac-?gia|byline|writer")
# A login or sign-in control inside an author box ("tie-author-tologin": "点击登录").
_LOGIN = re.compile(r"log-?in|sign-?in|(?:^|[\s_-])auth(?:[\s_-]|$)", re.IGNORECASE)
_HEADING_CLASS = re.compile(
    r"(?:^|[\s_-])(?:title|heading|header|tit|caption|label)s?(?:[\s_-]|$)", re.IGNORECASE
)
_BOX_LINKS = 3
_BOX_LINK_SHARE = 0.6
_BOX_LEVELS = 3  # how far up a label's box is looked for
_COMMENTS = re.compile(r"comment|kommentar|binh-?luan|respond|reply|disqus", re.IGNORECASE)
_MATCH_TAGS = (
    "p",
    "div",
    "span",
    "strong",
    "b",
    "em",
    "i",
    "a",
    "li",
    "td",
    "address",
    "footer",
    "section",
    "header",
    "small",
    "cite",
    *_HEADINGS,
)


def _author_marked(element) -> bool:
    return any(
        _AUTHOR_CLASS.search(" ".join((e.get("class") or "", e.get("id") or "")))
        or e.get("itemprop") == "author"
        or "author" in (e.get("rel") or "").split()
        for e in (element, *islice(element.iterancestors(), 2))
    )


def _chars(text: str) -> int:
    return len("".join(text.split()))


def _is_link_box(element, label) -> bool:
    """A box of at least three links holding nearly all of its text but the label's."""
    links = [a for a in element.iter("a") if text_of(a)]
    if len(links) < _BOX_LINKS:
        return False
    total = _chars(element.text_content()) - _chars(label.text_content())
    linked = sum(_chars(a.text_content()) for a in links)
    return total > 0 and linked / total >= _BOX_LINK_SHARE


def _link_only(element) -> bool:
    text = _chars(element.text_content())
    return (
        text > 0
        and sum(_chars(a.text_content()) for a in element.iter("a")) >= text * _BOX_LINK_SHARE
    )


def _heads_links(element) -> bool:
    """Followed by links with no heading of their own: a box of links (a list, a table…)
    or a run of link-only paragraphs, that this element labels."""
    following = list(
        islice((e for e in element.itersiblings() if isinstance(e.tag, str)), _BOX_LINKS)
    )
    if not following:
        return False
    first = following[0]
    if _is_link_box_without_label(first):
        return True
    return len(following) == _BOX_LINKS and all(_link_only(e) for e in following)


def _is_link_box_without_label(element) -> bool:
    links = [a for a in element.iter("a") if text_of(a)]
    own = _chars(element.text_content()) - sum(_chars(a.text_content()) for a in links)
    return len(links) >= _BOX_LINKS and own <= 2


def is_label_element(element) -> bool:
    """A heading, or plain text heading a box of links: the shape of a label, never of a
    byline (unless the page marks it as the author's)."""
    if _author_marked(element):
        return False
    if element.tag in _HEADINGS or _HEADING_CLASS.search(element.get("class") or ""):
        return True
    if element.tag == "a" or next(element.iter("a"), None) is not None:
        return False
    if any(_is_link_box(box, element) for box in islice(element.iterancestors(), _BOX_LEVELS)):
        return True
    # The label may be an inline element (<strong>) of a paragraph that heads the links.
    return any(_heads_links(e) for e in (element, *islice(element.iterancestors(), 1)))


def _key(text: str) -> str:
    # Spaces left out: an element's text glues its children's ("Nhật XuânNghi Vũ"). Not
    # normalised first: fold drops every mark, so where the tone mark sits changes nothing.
    return "".join(fold(text).split())


_PRINTED: WeakKeyDictionary = WeakKeyDictionary()  # page -> its short elements by text key


def _printed_by_key(page: Page) -> dict[str, list]:
    """The page's short elements by the key of their text, in page order: built once per
    page, since each line of the body that may be a byline is looked up."""
    found = _PRINTED.get(page)
    if found is None:
        found = {}
        for element in page.tree.iter(*_MATCH_TAGS):
            text = element.text_content()
            if len(text) <= _MAX_LINE_CHARS * 3:
                found.setdefault(_key(text), []).append(element)
        _PRINTED[page] = found
    return found


def printed_elements(page: Page, line: str) -> list:
    """The innermost elements of the page whose text is `line` (a line of the extracted
    body), in page order."""
    key = _key(line)
    if not key or len(key) > _MAX_LINE_CHARS * 2:
        return []
    found = _printed_by_key(page).get(key, [])
    inner = set(found)
    return [e for e in found if not any(d in inner for d in e.iterdescendants())]


def _pieces(element) -> list[str]:
    """The element's texts as printed apart: each text node, spaces collapsed."""
    pieces = (normalize(collapse(t)).strip(" ,;-–—|/&") for t in element.xpath(".//text()"))
    return [p for p in pieces if p and any(c.isalpha() for c in p)]


def _only_opening(piece: str, lang: str) -> bool:
    """A piece that is only a byline's opening words ("Bài:", "Von", "By")."""
    match = _byline_pattern(lang).match(piece + " X Y")
    return bool(match) and match["name"] == "X Y"


def names_in_element(element, lang: str = "", *, stated: bool = False) -> list[str]:
    """Authors of a byline element; names printed in separate elements stay separate
    ("<a>Nhật Xuân</a><a>Nghi Vũ</a>" is two people, not "Nhật Xuân Nghi Vũ"). `stated`:
    the page marks the element as its author's (see `parse_authors`)."""
    pieces = _pieces(element)
    brands = _brand_pieces(element)
    if brands:
        # A site's name printed before the author's ("Tech Insider Alex Perry", the name a
        # link to the source's home page) is the source, not part of the name.
        pieces = [p for p in pieces if p not in brands]
    if pieces and _only_opening(pieces[0], lang):
        pieces = pieces[1:]
    if len(pieces) >= 2:
        # Each piece a name of its own (one word is not: "<b>Nguyễn</b> Văn An" is one name).
        # (A paper's name after a full name is where the reporter works: "Jenna McMurray"
        # <span>,Calgary Sun</span>.)
        names = [
            [] if index and " " in pieces[0] and _paper(p) else parse_authors(p, lang)
            for index, p in enumerate(pieces)
        ]
        # (A piece that is a job title or an organisation, printed apart, is no name and
        # leaves the others theirs: "Android Lead, Codiant" above "Neeraj Rathore".)
        if all(names) or (
            sum(map(bool, names)) == 1
            and all(n or _organisation(p) or _paper(p) for p, n in zip(pieces, names, strict=True))
        ):
            return _unique([n for group in names for n in group])
        lines = _block_lines(element)
        found = [parse_authors(line, lang, stated=stated) for line in lines]
        full = [i for i, names in enumerate(found) if names and all(" " in n for n in names)]
        if (
            len(lines) > 1
            and len(full) == 1
            and all(i in full or _badge(line) for i, line in enumerate(lines))
        ):
            # Lines printed in boxes of their own are read apart: an avatar's initials ("Sm")
            # in a box beside the name's is no part of it.
            return found[full[0]]
    text = " ".join(pieces) if brands else text_of(element)
    if stated and len(pieces) == 1 and (turned := _surname_first(pieces[0])):
        text = turned
    return parse_authors(text, lang, stated=stated)


# Boxes that print on lines of their own (an inline element's text runs on with its
# neighbours': "<b>Lê</b> Văn An" is one name).
_BLOCK_TAGS = frozenset(
    "div p li ul ol dl dt dd section article header footer aside address table tr td th "
    "figure figcaption blockquote h1 h2 h3 h4 h5 h6".split()
)


_MAX_BADGE = 3


def _badge(line: str) -> bool:
    """A line that is no part of a name beside it: an avatar's initials or a badge ("Sm",
    "OP"). (Not a date's line: on WCXB's held-out pages that cost a right name.)"""
    return " " not in line and len(line) <= _MAX_BADGE


def _block_lines(element) -> list[str]:
    """The element's texts gathered by the innermost box of its own that prints them (one
    line a box, in page order)."""
    lines: dict = {}
    for text in element.xpath(".//text()"):
        node = text.getparent()
        node = node.getparent() if text.is_tail else node
        while node is not None and node is not element and node.tag not in _BLOCK_TAGS:
            node = node.getparent()
        lines.setdefault(node, []).append(text)
    joined = (normalize(collapse("".join(texts))).strip(" ,;-–—|/&") for texts in lines.values())
    return [line for line in joined if any(c.isalpha() for c in line)]


_SURNAME_FIRST = re.compile(r"^([^\W\d_][^\W\d_'’-]+),\s*([^\W\d_][^\W\d_'’-]+)$")


def _surname_first(text: str) -> str:
    """A name the page's author markup prints surname first, with a comma ("Κόλλια,
    Ελευθερία"; one text, not two people's names printed apart) -> "Ελευθερία Κόλλια"; ""
    when the text is not one word, a comma and one word (or either word is no name's)."""
    match = _SURNAME_FIRST.match(text)
    if not match or not all(_single_name(w) and not _not_name_word(w) for w in match.groups()):
        return ""
    return f"{match[2]} {match[1]}"


def _brand_pieces(element) -> set[str]:
    """Texts of the links in a byline element that lead to a site's home page (a path of
    "/" or none): a publisher's or a source's name, never a person's."""
    brands = set()
    for link in element.iter("a"):
        href = (link.get("href") or "").strip()
        try:
            parts = urlsplit(href)
        except ValueError:
            continue
        if parts.hostname and parts.path in ("", "/") and not parts.query:
            brands.update(_pieces(link))
    return brands


# --- candidates ------------------------------------------------------------------------------

_TAIL_LOOKBACK = 4
_HEAD_LOOKAHEAD = 6  # elements after the headline where a byline may stand


def _is_headline(block: Block) -> bool:
    """A line printed like a story title: short, capitalised, no closing punctuation."""
    if block.kind in ("h2", "h3"):
        return True
    plain = block.plain
    return (
        block.kind == "p"
        and press.heading_like(plain)
        and not press.paragraph_like(plain)
        and not any(c.isdigit() or c == ":" for c in plain)  # contacts, notes, datelines stay
    )


def _says_byline(line: str, lang: str) -> bool:
    """A line that says it is a byline: its opening words ("By", "Von", "Bài:"), a credit
    ("Theo …"), "(tổng hợp)" after the names, names in capitals or a group's name."""
    core = press.clean_line(normalize(line))
    return bool(
        _byline_pattern(lang).match(core)
        or _CREDIT.match(core)
        or _COMPILED_BY.search(core)
        or _GROUP_NAMES.match(core)
        or core.isupper()
    )


def _off_site_link(element, page: Page) -> bool:
    """An element that is (or is inside) a link to another site."""
    link = next((e for e in (element, *islice(element.iterancestors(), 2)) if e.tag == "a"), None)
    href = (link.get("href") or "").strip() if link is not None else ""
    return bool(urlsplit(href).hostname) and not clutter.same_site(href, page.hosts)


def _label_and_value(element, lang: str) -> bool:
    """Lines broken apart (<br>) that are not each a name: a label and its value, a name
    and a place ("<b>Jon Rego</b><br><i>Clayton</i>")."""
    pieces = _pieces(element)
    return (
        next(element.iter("br"), None) is not None
        and len(pieces) >= 2
        and not all(parse_authors(p, lang) for p in pieces)
    )


def _line_names(
    line: str, page: Page | None, lang: str, known: frozenset[str] = frozenset()
) -> list[str]:
    """The authors a line of the body names, read in the page when it can be found there:
    a label's shape makes it no byline (unless the metadata names the same people:
    `known`, folded), and names printed apart stay apart."""
    names = parse_authors(line, lang)
    if not names or page is None:
        return names
    elements = printed_elements(page, line)
    stated = {fold(n) for n in names} <= known
    if any(is_label_element(e) for e in elements) and not stated:
        return []
    if (
        elements
        and not (stated or _says_byline(line, lang) or any(map(_author_marked, elements)))
        and (_off_site_link(elements[-1], page) or _label_and_value(elements[-1], lang))
    ):
        # A line of capitalised words that says nothing of a byline, printed as a link to
        # another site ("Wasserturm Emden" to Wikipedia, "Politcamp Graz") or as a label and
        # its value on two lines ("<b>Aktuelle Nutzung</b><br>Studentenwohnanlage"), is
        # a source or a fact, not a name.
        return []
    apart = names_in_element(elements[-1], lang) if elements else []
    return apart if len(apart) > len(names) else names


def take_tail(
    blocks: list[Block],
    page: Page | None = None,
    lang: str = "",
    known: frozenset[str] = frozenset(),
) -> list[str]:
    """Strip bylines, related headlines and widget words from the end of the body.

    Returns the authors of the bylines found there ([] if none), each separately. Only the
    last few blocks are looked at, and a block of story text (a paragraph ending a
    sentence) stops the walk.
    """
    authors: list[str] = []
    credits: list[Block] = []  # photo credits walked past, kept unless a byline is above them
    looked = 0
    subject = page.subject if page is not None else frozenset()
    while blocks and looked < _TAIL_LOOKBACK:
        last = blocks[-1]
        if last.kind == "figure":
            break
        looked += 1
        names = _line_names(last.plain, page, lang, known) if last.kind == "p" else []
        if names:
            authors = names + [a for a in authors if a not in names]  # bylines on several lines
        elif last.kind == "p" and is_photo_credit(last.plain):
            credits.insert(0, last)
        elif not (
            _is_headline(last) or is_label(last.plain, subject) or press.is_clutter(last.plain)
        ):
            break
        blocks.pop()
    if not authors:
        blocks.extend(credits)
    return authors


def take_head_byline(
    blocks: list[Block],
    page: Page | None = None,
    lang: str = "",
    known: frozenset[str] = frozenset(),
) -> list[str]:
    """Authors of a byline printed before the story's first paragraph ([] if none).

    Only explicit bylines count here ("Bài: ...", "Theo ...", "By ...", "(tổng hợp)", names
    in capitals), since a story may open with a short line that merely looks like a name.
    """
    for index, block in enumerate(blocks[:2]):
        if block.kind != "p":
            continue
        plain = block.plain.strip()
        names = _line_names(plain, page, lang, known)
        explicit = names and (plain.isupper() or not looks_like_name(plain))
        if explicit:
            del blocks[index]
            return names
        return []
    return []


def body_byline(blocks: list[Block], page: Page, known: frozenset[str] = frozenset()) -> list[str]:
    """Authors printed in the body (at its end, or at its top), removed from the body.

    A site whose rule says `byline = "markup"` names them only in its byline element."""
    place = page.rule.byline if page.rule else None
    if place == "markup":
        return []
    lang = page.language()
    authors = [] if place == "top" else take_tail(blocks, page, lang, known)
    if not authors and place != "end":
        authors = take_head_byline(blocks, page, lang, known)
    return [a for a in authors if not (page_meta.is_publisher(page, a) or _site_branded(page, a))]


def _stated_publisher(page: Page, name: str) -> bool:
    """Whether a name the page states as its author's is the publisher's: the site's name
    ("NOW Grenada", "Ultima Hora", "Ostbelgien Direkt"), or a name holding it ("Houzz
    Deutschland"). Vietnamese papers' names look like people's ("Tuổi Trẻ", "Thanh Niên")
    and are never authors. Elsewhere a personal site is named after the person writing it:
    the page says its publisher is a person ("Wolfgang Schmale" on wolfgangschmale.eu), or
    the site's name is the person's and more ("Daniel Lemire" on "Daniel Lemire's blog")."""
    if not (page_meta.is_publisher(page, name) or _site_branded(page, name)):
        return False
    if page.language() in ("vi", ""):
        return True
    return not (_publisher_is_person(page) or _named_after(page, name))


_TITLE_SEPARATORS = re.compile(r"\s+[|–—·»:-]{1,2}\s+|_")


def _site_branded(page: Page, name: str) -> bool:
    """A name the page prints as its own brand: the first or last part of its <title>
    ("Deutsches Rotes Kreuz - UN-Klimakonferenz…", "… | NOW Grenada"), or the host's name
    followed by more words ("Polityka Insight" on polityka.pl) or as initials ("Wirtualna
    Polska" on wp.pl)."""
    folded = fold(name)
    title = next(page.tree.iter("title"), None)
    parts = _TITLE_SEPARATORS.split(text_of(title)) if title is not None else []
    ends = {fold(parts[0]), fold(parts[-1])} if len(parts) > 1 else set()
    host = fold(page.host()).rpartition(".")[0].split(".")[-1]
    words = folded.split()
    # (In a script without case the brand may say more: "网易" in "…_网易新闻中心", or
    # end the title after a space: "… 中国快讯 南方网".)
    caseless = _caseless_name(name)
    initials = "".join(w[:1] for w in words)
    if caseless and title is not None and text_of(title).endswith(f" {name}"):
        return True
    return any(end == folded or (caseless and end.startswith(folded)) for end in ends) or (
        len(words) > 1 and bool(host) and host in (words[0], initials)
    )


def _publisher_is_person(page: Page) -> bool:
    publisher = page.article_ld.get("publisher")
    return isinstance(publisher, dict) and (
        "person" in ld_types(publisher) or "/person/" in str(publisher.get("@id", ""))
    )


def _named_after(page: Page, name: str) -> bool:
    """A site named after a person: its name begins with the person's name and says more
    ("Frau Sabienes sagt", "Martina Berg - Lady 50plus"). Not when the name is the host's
    own: that is the brand and an edition ("Business Insider Deutschland" on
    businessinsider.de)."""
    folded = fold(name)
    host = fold(page.host()).rpartition(".")[0] or fold(page.host())
    if host and "".join(folded.split()) in (host.rpartition(".")[2], host.replace("-", "")):
        return False
    return looks_like_name(name) and any(
        len(site) > len(folded)
        and site.startswith(folded + " ")
        or site.startswith(folded + "'")
        or site.startswith(folded + "’")
        for site in map(fold, page_meta.site_names(page))
    )


def _in_comments(element) -> bool:
    return any(
        _COMMENTS.search(" ".join((e.get("class") or "", e.get("id") or "")))
        for e in (element, *element.iterancestors())
    )


# A section, category or tag printed in a byline box ("Features", "Wein & Geschmack").
_CATEGORY_CLASS = re.compile(
    r"(?:^|[\s_-])(?:cats?|categor(?:y|ies|ia)|kategorie|tags?|section|rubri[ck]\w*|topics?|"
    r"themes?|kicker|article-type)(?:[\s_-]|$)",
    re.IGNORECASE,
)
_CATEGORY_HREF = re.compile(
    r"/(?:category|categories|categoria|kategorie|tag|tags|section|rubrik|thema|topics?)/",
    re.IGNORECASE,
)


def _category(element) -> bool:
    marks = " ".join((element.get("class") or "", element.get("id") or ""))
    if "author" in marks.casefold():  # "field--name-field-tag-author"
        return False
    return bool(_CATEGORY_CLASS.search(marks) or _CATEGORY_HREF.search(element.get("href") or ""))


def _only_categories(element) -> bool:
    """Whether all of a byline element's text is a section's or a category's name (a link
    or box marked so, or linking to a category's page): the box's label, not its author."""
    if _category(element):
        return True
    inside = [e for e in element.iterdescendants() if isinstance(e.tag, str) and _category(e)]
    return bool(inside) and _chars(element.text_content()) == sum(
        _chars(e.text_content()) for e in inside if not any(a in inside for a in e.iterancestors())
    )


def _marks(element) -> str:
    return " ".join((str(element.get("class") or ""), str(element.get("id") or "")))


def _marked_bylines(page: Page):
    """Elements the page marks as its byline, in page order (not its readers' comments)."""
    for element in page.tree.iter("p", "div", "span", "a", "strong", "address", "li"):
        if (
            element.get("itemprop") == "author"
            or _AUTHOR_CLASS.search(element.get("class") or "")
            or "author" in (element.get("rel") or "").split()
        ) and not (
            _in_comments(element)
            or not_people.in_widget(element)
            or not_people.authors_menu(element)
            or _in_teaser(element, page)
            or _holds_headline(element, page)
            or _photo_box(element)
            or _inside_promo_link(element)
            or _only_categories(element)
            or any(_LOGIN.search(_marks(e)) for e in (element, *element.iter("a")))
        ):
            yield element


_TEASER_LEVELS = 3
_TEASER_CHARS = 400
_AUTHOR_PAGE = re.compile(r"/(?:author|authors|autor|tac-gia|user|users|profile|people|staff)\b")


def _in_teaser(element, page: Page) -> bool:
    """A byline inside another page's teaser: a small card (a list item or an <article>, up
    to three levels up, without the page's headline) that links to another page of the site,
    not to an author's page. Its author is that story's ("by Anmol" under a sidebar's
    headline; "Catherine commented on" in a recent-comments list)."""
    for level, box in enumerate(islice(element.iterancestors(), _TEASER_LEVELS)):
        if box.tag not in ("li", "article"):
            if level < 2 and _teaser_card(box, page, element):
                return True
            continue
        if next(box.iter("h1"), None) is not None or _chars(box.text_content()) > _TEASER_CHARS:
            return False
        return any(
            clutter.same_site(href, page.hosts)
            and not _AUTHOR_PAGE.search(href)
            and urlsplit(href).path not in ("", "/")
            for href in (
                (a.get("href") or "").strip() for a in (*element.iterancestors("a"), *box.iter("a"))
            )
            if href and not href.startswith("#")
        )
    return False


_HEADLINE_WORDS = 3
# A story's address: an id of digits, a slug of words, or a page file ("/culture/n315/137726",
# "…-samochodow_316796.html").
_ARTICLE_PATH = re.compile(r"\d{3,}|(?:[^/]+-){3,}|\.s?html?$")
# A script's page picked by an id in the query ("viewtopic.php?p=3062", "article.php?id=4711").
_SCRIPT_PATH = re.compile(r"\.(?:php|aspx?|cgi|jsp)$")
_ARTICLE_QUERY = re.compile(r"(?:^|&)\w+=\d{3,}(?:&|$)")
_PHOTO_MARKS = re.compile(r"image|photo|foto|figure|caption|picture", re.IGNORECASE)


# An author's box with the author's portrait is no photo's box.
_NOT_PHOTO_BOX = re.compile(r"author|avatar|byline|profile", re.IGNORECASE)


def _photo_box(element) -> bool:
    """A name in a photo's box (a <figure>, or a box marked image/photo/caption that holds
    the photo, up to two levels up): the photographer's or the agency's credit
    ("Shutterstock" under the lead photo), not the story's author."""
    return any(
        box.tag in ("figure", "figcaption")
        or (
            _PHOTO_MARKS.search(_marks(box))
            and not _NOT_PHOTO_BOX.search(_marks(box))
            and next(box.iter("img"), None) is not None
        )
        for box in islice(element.iterancestors(), 2)
    )


def _inside_promo_link(element) -> bool:
    """A marked name that is only part of a link's text ("<a href=/books/><strong
    class=author>Books</strong> Check out our Books Section…</a>"): a promotion's title."""
    link = next(element.iterancestors("a"), None)
    return (
        link is not None
        and not _AUTHOR_PAGE.search(link.get("href") or "")  # an author's card, with a role
        and _chars(link.text_content()) > _chars(element.text_content())
    )


def _holds_headline(element, page: Page, byline=None) -> bool:
    """A byline element that also links another story by its headline (three words or
    more, no name's shape, to a story's address, on this site or a sister site): a
    columnist's card in a box of the site's authors ("Татьяна Москвина"
    over "Клонировать Фурцеву - срочно"), naming that story's author. In a card around a
    `byline` element, a link beside the byline is a headline even in Title Case ("Evan
    Shapiro" over "Nobody Knows Anything"): the name is the byline's own."""
    own = {_path(page.canonical), _path(page.base)}
    for link in element.iter("a"):
        href = (link.get("href") or "").strip()
        text = text_of(link)
        try:
            parts = urlsplit(href)
        except ValueError:
            continue
        # (Not a link around the byline or inside it: the byline's own name.)
        beside = byline is not None and link is not byline and byline not in link.iterancestors()
        beside = beside and link not in byline.iterancestors()
        if (
            (
                _ARTICLE_PATH.search(parts.path)
                or (_SCRIPT_PATH.search(parts.path) and _ARTICLE_QUERY.search(parts.query))
            )
            and sum(any(c.isalpha() for c in w) for w in text.split()) >= _HEADLINE_WORDS
            and parts.scheme in ("", "http", "https")
            and _path(href) not in own
            and not _AUTHOR_PAGE.search(href)
            and not _CATEGORY_HREF.search(href)
            and (beside or not looks_like_name(text))
        ):
            return True
    return False


def _teaser_card(box, page: Page, byline=None) -> bool:
    """A small box (no headline of the page's own, a teaser's size) that links another
    story of the site by its headline ("<span class=author>Samochody</span> <a
    class=title>25 lat Volkswagena California…</a>")."""
    return (
        next(box.iter("h1"), None) is None
        and _chars(box.text_content()) <= _TEASER_CHARS
        and _holds_headline(box, page, byline)
    )


def _path(href: str | None) -> str:
    """A link's path without its trailing slash: the same story whether the link is
    relative or absolute."""
    try:
        return urlsplit(href or "").path.rstrip("/")
    except ValueError:
        return ""


_DATE_AFTER = re.compile(
    r"^[\s,]*(?:\d{1,4}[./-]\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)",
    re.IGNORECASE,
)


def _dateline_place(element, name: str) -> bool:
    """A place in a dateline printed in the byline box ("Reuters, Washington, Nov 20 2019"):
    one word after another item and a comma, and before a comma and the date."""
    box = element.getparent()
    if " " in name or box is None:
        return False
    text = normalize(collapse(box.text_content()))
    match = re.search(rf",\s*{re.escape(name)}\s*,", text)
    return bool(match) and bool(_DATE_AFTER.match(text[match.end() :]))


_SLUG_WORD = re.compile(r"^[^\W\d_]{2,}$")


def _full_name(element, name: str) -> str:
    """A first name alone in a byline ("by Catherine") completed by its author page's
    address, whose first two words are the person's ("/author/catherine-hollander-blog/"
    -> "Catherine Hollander"); the name as printed otherwise."""
    if " " in name:
        return name
    for link in (*element.iter("a"), *element.iterancestors("a")):
        href = link.get("href") or ""
        if not _AUTHOR_PAGE.search(href):
            continue
        words = re.split(r"[-_+]", urlsplit(href).path.rstrip("/").rpartition("/")[2])
        if len(words) >= 2 and fold(words[0]) == fold(name) and _SLUG_WORD.match(words[1]):
            return f"{name} {words[1][:1].upper()}{words[1][1:].lower()}"
    return name


def markup_byline(page: Page) -> list[str]:
    """Authors named by the site's byline elements (sites.toml `authors`), else by the
    elements the page marks as author/byline (class, itemprop, rel)."""
    lang = page.language()
    if page.rule:
        found = [
            n
            for e in page.rule.first("authors", page.tree)
            for n in names_in_element(e, lang, stated=True)
        ]
        if found:
            return _unique(found)
    for element in _marked_bylines(page):
        if is_label_element(element) and not _author_marked(element):
            continue
        names = [
            _full_name(element, n)
            for n in names_in_element(element, lang, stated=True)
            if not (_stated_publisher(page, n) or _dateline_place(element, n))
        ]
        if names:
            return _unique(names)
    return []


_META_AUTHOR = (
    "author",
    "article:author",
    "og:article:author",
    "byl",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
    "cxenseparse:author",
)


def _ld_node(page: Page, item: object) -> object:
    """A JSON-LD reference ({"@id": …} only, as Yoast's @graph writes the author) resolved to
    the node it names, when the page has it."""
    if not (isinstance(item, dict) and "name" not in item and isinstance(item.get("@id"), str)):
        return item
    return next((n for n in page.json_ld if n.get("@id") == item["@id"] and "name" in n), item)


def _ld_people(page: Page) -> list[str]:
    author = page.article_ld.get("author")
    names = []
    for item in author if isinstance(author, list) else [author]:
        item = _ld_node(page, item)
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            kinds = ld_types(item)
            if not kinds - {""} or "person" in kinds:
                names.append(item["name"])
    return names


def metadata_names(page: Page) -> list[str]:
    """Authors named by the JSON-LD article (people), else by the author <meta> tags."""
    lang = page.language()
    values = _ld_people(page) or [
        page.meta.get(key, "") for key in _META_AUTHOR if not not_people.contact_card(page, key)
    ]
    names = []
    for value in values:
        value = normalize(collapse(value))
        if value and not _stated_publisher(page, value):
            names += parse_authors(value, lang, explicit=True, stated=True)
    return _unique([n for n in names if not _stated_publisher(page, n)])


def reconcile(visible: list[str], metadata: list[str]) -> list[str]:
    """The story's authors: the visible byline, else the metadata's names. A visible name
    that is the metadata's names glued together ("Nhật Xuân Nghi Vũ") is theirs."""
    if not visible:
        return metadata
    glued = _key(" ".join(metadata))
    if len(metadata) > 1 and [_key(n) for n in visible] == [glued]:
        return metadata
    # A first name alone ("Regan") where the metadata gives the full name ("Regan Shae").
    return [
        next((m for m in metadata if " " not in n and fold(m).startswith(fold(n) + " ")), n)
        for n in visible
    ]


def headline_byline(page: Page) -> list[str]:
    """Authors of an explicit byline ("Von Anna Schmidt", "By John Smith", "Bài: …")
    printed between the headline and the story's first paragraph."""
    h1 = next(page.tree.iter("h1"), None)
    if h1 is None:
        return []
    lang = page.language()
    pattern = _byline_pattern(lang)
    siblings = (e for e in h1.itersiblings() if isinstance(e.tag, str))  # not comments
    for element in islice(siblings, _HEAD_LOOKAHEAD):
        for leaf in (element, *element.iterdescendants()):
            if not isinstance(leaf.tag, str):
                continue
            text = text_of(leaf)
            if press.paragraph_like(text) and len(text) > _MAX_LINE_CHARS:
                return []
            if (
                text
                and len(text) <= _MAX_LINE_CHARS
                and (pattern.match(text) or _CREDIT.match(text))
            ):
                names = names_in_element(leaf, lang)
                if names and not is_label_element(leaf):
                    return [
                        n
                        for n in names
                        if not (page_meta.is_publisher(page, n) or _site_branded(page, n))
                    ]
    return []


# --- a source's credit after the story ("Theo <strong>Newsweek</strong>") ---------------------

# The element's own words before the credited name ("Theo", "Nguồn:").
_CREDIT_WORD = re.compile(r"^(?:theo|nguồn)\s*:?$", re.IGNORECASE)
_CREDIT_NAME_TAGS = ("strong", "b", "em", "i", "a", "span")
# After the credit, the story's element may still print the source's name on a line of its
# own ("Theo <strong>Thanh Xuân</strong>" / "<em>VnEconomy</em>"), nothing else.
_CREDIT_AFTER = 1
_CREDIT_AFTER_CHARS = 40
_NOT_PRINTED = frozenset({"script", "style", "noscript", "template"})


def _credit_name(element) -> str:
    """The name a credit printed as "Theo <strong>X</strong>" gives: "Theo" as the
    element's own text and the name as its one child, nothing after it ("" otherwise)."""
    children = [c for c in element if isinstance(c.tag, str)]
    if len(children) != 1 or children[0].tag not in _CREDIT_NAME_TAGS:
        return ""
    name = children[0]
    own = normalize(collapse(element.text or "")).strip()
    if (name.tail or "").strip(" .\n\t\r") or not _CREDIT_WORD.match(own):
        return ""
    return text_of(name)


def _printed_after(element, container) -> list[str] | None:
    """The texts printed after `element` up to the end of `container` (its following
    siblings' at every level), or None when more than a short line or two follow."""
    after: list[str] = []
    node = element
    while node is not container and node is not None:
        for sibling in node.itersiblings():
            printed = isinstance(sibling.tag, str) and sibling.tag not in _NOT_PRINTED
            text = text_of(sibling) if printed else ""
            text = f"{text} {normalize(collapse(sibling.tail or ''))}".strip()
            if text:
                after.append(text)
        node = node.getparent()
    if len(after) > _CREDIT_AFTER or any(
        len(t) > _CREDIT_AFTER_CHARS or t[-1:] in press.TERMINAL for t in after
    ):
        return None
    return after


def end_credit(page: Page) -> tuple[list[str], list[str]]:
    """The sources credited after the story on a Vietnamese page ("Theo <strong>Forbes,
    Newsweek</strong>" -> ["Forbes", "Newsweek"]), read in the page's markup where "Theo"
    and the bold name are siblings (the extracted text keeps only the name), and the lines
    that credit prints. The credit must end the page's <article> (or its own parent), a
    line naming the source aside. ([], []) when there is none."""
    if not page.vietnamese:
        return [], []
    for element in reversed(list(page.tree.iter("div", "p", "span", "section", "footer"))):
        name = _credit_name(element)
        if not name:
            continue
        container = next(
            (a for a in element.iterancestors() if a.tag == "article"), element.getparent()
        )
        after = _printed_after(element, container)
        names = _names(name, explicit=True, stated=True, lang="vi") if after is not None else []
        names = [n for n in names if not page_meta.is_publisher(page, n)]
        if names:
            return names, [name, text_of(element), *(after or [])]
    return [], []


def drop_credit_lines(blocks: list[Block], printed: list[str]) -> None:
    """Take the lines a credit prints off the end of the body (trafilatura keeps the bold
    name alone: a bare "Newsweek" paragraph would end the story)."""
    keys = {_key(line) for line in printed}
    looked = 0
    while blocks and looked < _TAIL_LOOKBACK and blocks[-1].kind == "p":
        looked += 1
        if _key(blocks[-1].plain) not in keys:
            break
        blocks.pop()


def page_authors(page: Page, blocks: list[Block], body_first: bool = True) -> list[str]:
    """The authors of a page, the body's byline lines taken out of `blocks`: the visible
    byline (the body's end or top — unless not `body_first` —, the byline markup, a byline
    under the headline), else the metadata's names."""
    metadata = people(page, metadata_names(page))
    known = frozenset(fold(n) for n in metadata)
    credit, printed = end_credit(page)
    drop_credit_lines(blocks, printed)
    in_body = people(page, body_byline(blocks, page, known)) if body_first else []
    visible = (
        in_body
        or credit
        or people(page, markup_byline(page))
        or people(page, headline_byline(page))
    )
    return reconcile(visible, metadata)


# --- only people: what the page shows to be its own brand, an agency or a place ---------------

_MIN_BRAND_WORD = 3
_MIN_HOST = 4


def people(page: Page, names: list[str]) -> list[str]:
    """The names that are people, read against the whole page: a name glued to the site's
    host name is cut back ("Pamela Wilsonbigbrandsystem" on bigbrandsystem.com); left out are
    an agency's acronym alone or initials alone on a page that is not Vietnamese ("PTI", "K
    A"; "Theo TTXVN" is a Vietnamese story's source), a site's name or the page's software
    (`not_people`), and a name made only of the site's brand words and the page's
    link labels ("Telegraph Sport" on "The Telegraph" with a "Sport" menu link; "Vortex" on
    "… – Vortex Cannon Entertainment")."""
    found = []
    for name in names:
        name = _unglued_host(page, name)
        if not name or (
            not page.vietnamese and ((" " not in name and _acronym(name)) or _initials(name))
        ):
            continue
        if _brand_and_labels(page, name) or _site_or_software(page, name):
            continue
        found.append(name)
    return _unique(found)


def _initials(name: str) -> bool:
    """Initials alone ("K A", "J. D."), on a page that may not say its language."""
    return _initials_only(name.replace(".", ". ").split())


def _site_or_software(page: Page, name: str) -> bool:
    """A site's name or the page's software (`not_people`), on a page that is not
    Vietnamese: a Vietnamese story credits its source by the source's name ("Theo VOV")."""
    return not page.vietnamese and (
        not_people.site_name(page, name) or not_people.software_name(page, name)
    )


def _host_name(page: Page) -> str:
    """The host's own name ("bigbrandsystem" of www.bigbrandsystem.com), folded."""
    host = fold(page.host()).removeprefix("www.")
    return host.rpartition(".")[0].rpartition(".")[2] or host


def _unglued_host(page: Page, name: str) -> str:
    """The name without the site's host name glued to one of its words ("Wilsonbigbrandsystem"
    -> "Wilson"); "" when nothing of a name is left."""
    host = _host_name(page)
    if len(host) < _MIN_HOST:
        return name
    words = []
    for word in name.split():
        folded = fold(word)
        if folded != host and len(folded) > len(host) + 1 and folded.endswith(host):
            word = word[: len(word) - len(host)]
        elif folded != host and len(folded) > len(host) + 1 and folded.startswith(host):
            word = word[len(host) :]
        words.append(word)
    unglued = " ".join(words)
    if unglued == name:
        return name
    return unglued if looks_like_name(unglued) else ""


_BRAND_WORDS: WeakKeyDictionary = WeakKeyDictionary()


def _brand_words(page: Page) -> frozenset[str]:
    """Words of the names the site gives itself: og:site_name, the JSON-LD publisher, the
    sites.toml name, the last part of the <title> ("… – Vortex Cannon Entertainment"), and
    the host's name (folded; articles and short words left out)."""
    found = _BRAND_WORDS.get(page)
    if found is None:
        names = [*page_meta.site_names(page), page.rule.name if page.rule else ""]
        title = next(page.tree.iter("title"), None)
        parts = _TITLE_SEPARATORS.split(text_of(title)) if title is not None else []
        host = _host_name(page)
        if len(parts) > 1 and _names_host(parts[-1], host):
            names.append(parts[-1])
        words = {w for n in names for w in fold(n or "").split()} | {host}
        found = frozenset(
            w for w in words if len(w) >= _MIN_BRAND_WORD and w not in _ARTICLES | _PARTICLES
        )
        _BRAND_WORDS[page] = found
    return found


def _names_host(part: str, host: str) -> bool:
    """Whether a part of the <title> is the site's name by its host ("Vortex Cannon
    Entertainment" on vortexcannon.org): its words run together and the host's name begin
    alike. (A title may end with the author's name: "… | Joanna Rothkopf".)"""
    joined = "".join(fold(part).split())
    return (
        len(host) >= _MIN_HOST
        and bool(joined)
        and (joined.startswith(host) or host.startswith(joined))
    )


def _link_labels(page: Page) -> frozenset[str]:
    """The one-word texts of the page's links (menu and breadcrumb labels: "Sport"), folded."""
    labels = set()
    for link in page.tree.iter("a"):
        text = fold(link.text_content()).strip()
        if text and " " not in text:
            labels.add(text)
    return frozenset(labels)


def _brand_and_labels(page: Page, name: str) -> bool:
    """A name whose words are all the site's brand words or its link labels, one at least a
    brand word: the site or one of its desks, not a person. A personal site's owner stays
    ("Daniel Lemire" on "Daniel Lemire's blog")."""
    words = fold(name).split()
    brand = _brand_words(page)
    if not any(w in brand for w in words):
        return False
    rest = [w for w in words if w not in brand]
    if rest and not all(w in _link_labels(page) for w in rest):
        return False
    return not (_publisher_is_person(page) or _named_after(page, name))
