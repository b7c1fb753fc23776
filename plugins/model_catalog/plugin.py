"""Pelican side of the model catalogue: article models, links, pages.

Once the articles are read (article_generator_finalized) the catalogue is
loaded from content/<MODELS_PATH>/*.md, every article gets `article.models`
and its body is rewritten (first mention of each model linked, acronyms in
<abbr>), and the catalogue with its stories, localities and figures goes into
the context as MODEL_CATALOG. A generator then writes the model pages, the
directory and the glossary page.
"""

from __future__ import annotations

import logging
import unicodedata
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.contents import Article
from pelican.generators import Generator

from model_catalog.catalog import Model, ModelFileError, load_models, markdown_to_html, split_names
from model_catalog.figures import find_figures
from model_catalog.matcher import ModelMatcher
from model_catalog.rewrite import Acronyms, rewrite_article_html
from model_catalog.story_cache import Recorder, StoryCache
from model_catalog.story_cache import build_key as story_build_key
from safe_html.jsonld import script_json
from safe_html.sources import audit_model, site_policy
from strict_content.checks import Problem, display_path
from strict_content.plugin import PROBLEMS_KEY
from tdbvantq.errors import ContentError, hide_tracebacks
from tdbvantq.htmltext import html_to_text
from tdbvantq.settings import PluginSettings, flag, folder, text
from tdbvantq.text import (
    Glossary,
    GlossaryError,
    SynonymError,
    SynonymRule,
    fold,
    load_glossary,
    load_synonyms,
    normalize,
    slugify,
    words,
)

logger = logging.getLogger(__name__)

SETTINGS = PluginSettings(
    "model_catalog",
    [
        folder("MODELS_PATH", "models", "folder of the model files, inside PATH"),
        text("MODEL_URL", "mo-hinh/{slug}/", "URL of a model page", needs="{slug}"),
        text("MODEL_SAVE_AS", "mo-hinh/{slug}/index.html", "file of a model page", needs="{slug}"),
        text("MODELS_URL", "mo-hinh/", "URL of the directory of models"),
        text("MODELS_SAVE_AS", "mo-hinh/index.html", "file of the directory of models"),
        text("GLOSSARY_URL", "thuat-ngu/", "URL of the acronyms page"),
        text("GLOSSARY_SAVE_AS", "thuat-ngu/index.html", "file of the acronyms page"),
        flag("MODEL_LINK_MENTIONS", True, "link the first mention of each model in a story"),
        flag("MODEL_MARK_ACRONYMS", True, "wrap the first occurrence of each acronym in <abbr>"),
        folder("ACRONYMS_FILE", None, "the acronym glossary (vntext.load_glossary)", optional=True),
        folder(
            "SYNONYMS_FILE", None, "editors' synonyms, listed on the glossary page", optional=True
        ),
        flag(
            "MODEL_CATALOG_CACHE",
            True,
            "keep what each story gave (models, links, figures) in <CACHE_PATH>/model-catalog.pickle",
        ),
    ],
)


class CatalogState:
    """What one build knows about the catalogue; kept on the article generator's context."""

    def __init__(self, models: list[Model], matcher: ModelMatcher, glossary: Glossary) -> None:
        self.models = models
        self.by_slug = {model.slug: model for model in models}
        self.matcher = matcher
        self.glossary = glossary
        self.acronyms = Acronyms(glossary)
        self.synonyms: list[SynonymRule] = []  # the glossary page lists them


def fail(message: str) -> None:
    """Stop the build with one clear line (no traceback: it is the editor's file).

    A ContentError, not SystemExit: `make serve` reports it and keeps running."""
    raise ContentError(message)


def load_state(settings: dict, context: dict | None = None) -> CatalogState:
    """The catalogue. What the sanitizer removes from a description is logged as
    `file:line` and, given the build's `context`, added to strict_content's problems
    (the build stops once the pages are read, every problem listed); without it a
    strict build stops here."""
    models_dir = Path(settings["PATH"]) / SETTINGS.read(settings, "MODELS_PATH")
    try:
        models = load_models(models_dir)
        acronyms_file = SETTINGS.read(settings, "ACRONYMS_FILE")
        glossary = load_glossary(acronyms_file) if acronyms_file else Glossary()
        matcher = ModelMatcher(models, glossary=glossary)
        synonyms = load_synonyms(SETTINGS.read(settings, "SYNONYMS_FILE"))
    except (ModelFileError, GlossaryError, SynonymError) as error:
        fail(f"model catalogue: {error}")
    except ValueError as error:  # the same name given to two models
        fail(f"model catalogue ({models_dir}): {error}")
    problems = []
    for model in models:
        model.url = SETTINGS.read(settings, "MODEL_URL").format(slug=model.slug)
        model.save_as = SETTINGS.read(settings, "MODEL_SAVE_AS").format(slug=model.slug)
        model.description_html, found = sanitized_description(model, settings)
        problems += found
    for problem in problems:
        logger.error("%s", problem)
    if context is not None:
        context.setdefault(PROBLEMS_KEY, []).extend(problems)
    elif problems and settings.get("STRICT_CONTENT", True):
        more = (
            f" (and {len(problems) - 1} more problems, listed above)" if len(problems) > 1 else ""
        )
        fail(f"{problems[0]}{more}")
    models.sort(key=lambda model: (fold(model.name), model.slug))
    state = CatalogState(models, matcher, glossary)
    state.synonyms = synonyms.groups()
    return state


def sanitized_description(model: Model, settings: dict) -> tuple[str, list[Problem]]:
    """The description's HTML through the site's sanitizer (safe_html), and what it removed
    as `file:line: problem — fix` lines (a model page publishes nothing active either)."""
    html = markdown_to_html(model.description_markdown)
    policy = site_policy(settings)
    if policy.clean(html) == html:
        return html, []
    text = Path(model.source_path).read_text(encoding="utf-8")
    clean, findings = audit_model(text, html, policy)
    return clean, [Problem(display_path(model.source_path), str(f), f.line) for f in findings]


def link_key(settings: dict, model: Model) -> str:
    """The model file's path inside PATH, as Pelican's {filename} links name it."""
    return (
        f"{str(SETTINGS.read(settings, 'MODELS_PATH')).strip('/')}/{Path(model.source_path).name}"
    )


def mention_texts(matches: list[Any]) -> dict[str, set[str]]:
    texts: dict[str, set[str]] = {}
    for match in matches:
        texts.setdefault(match.slug, set()).add(match.text)
    return texts


def process_article(
    article: Any, state: CatalogState, settings: dict, cache: StoryCache | None = None
) -> dict[str, Any]:
    """Set article.models and rewrite its body; returns what the model pages need. With
    `cache`, from what the same story gave in an earlier build (model_catalog.story_cache)."""
    if cache is None:
        return _process_article(article, state, settings)
    entry = cache.entry(article)
    found = cache.get(entry)
    if found is not None:
        slugs, article._content, figures, _ = found
        article.models = [state.by_slug[slug] for slug in slugs]
        return {"figures": list(figures)}
    recorder = Recorder()
    logging.getLogger().addHandler(recorder)
    try:
        result = _process_article(article, state, settings)
    finally:
        logging.getLogger().removeHandler(recorder)
    slugs = [model.slug for model in article.models]
    cache.put(entry, (slugs, article._content, result["figures"], recorder.records))
    return result


def story_cache(settings: dict) -> StoryCache | None:
    """This build's cache of stories' results, or None (MODEL_CATALOG_CACHE, CACHE_PATH)."""
    if not SETTINGS.read(settings, "MODEL_CATALOG_CACHE") or not settings.get("CACHE_PATH"):
        return None
    models_dir = Path(settings["PATH"]) / SETTINGS.read(settings, "MODELS_PATH")
    inputs = sorted(models_dir.rglob("*")) if models_dir.is_dir() else []
    for name in ("ACRONYMS_FILE", "SYNONYMS_FILE"):
        if SETTINGS.read(settings, name):
            inputs.append(Path(str(SETTINGS.read(settings, name))))
    return StoryCache(Path(settings["CACHE_PATH"]), story_build_key(settings, inputs))


def _process_article(article: Any, state: CatalogState, settings: dict) -> dict[str, Any]:
    raw_names = article.metadata.get("models", "")
    declared: list[str] = []
    for name in split_names(raw_names if isinstance(raw_names, str) else "; ".join(raw_names)):
        slug = state.matcher.resolve(name)
        if slug is None:
            hint = ", ".join(state.matcher.suggest(name)) or "no close name"
            logger.warning(
                "%s: Models: %r is not in the catalogue (closest: %s)",
                article.relative_source_path,
                name,
                hint,
            )
        else:
            declared.append(slug)
    # NFC only: the matchers take every tone placement and case themselves,
    # and what is quoted from the text (figures, places) is normalized.
    lede = unicodedata.normalize("NFC", str(article.metadata.get("summary", "") or ""))
    body = unicodedata.normalize("NFC", html_to_text(article._content, block_separator="\n\n"))
    text = f"{lede}\n\n{body}"
    matches = state.matcher.find(text)
    mentioned = [*state.matcher.slugs_in(normalize(str(article.title))), *(m.slug for m in matches)]
    slugs = list(dict.fromkeys([*declared, *mentioned]))
    article.models = [state.by_slug[slug] for slug in slugs]

    link_mentions = SETTINGS.read(settings, "MODEL_LINK_MENTIONS")
    acronyms = state.acronyms if SETTINGS.read(settings, "MODEL_MARK_ACRONYMS") else None
    if link_mentions or acronyms is not None:
        matcher = state.matcher if link_mentions else ModelMatcher([])
        article._content, _ = rewrite_article_html(
            article._content,
            matcher,
            lambda slug: "{filename}/" + link_key(settings, state.by_slug[slug]),
            acronyms,
            expected=mention_texts(matches) if link_mentions else {},
        )
    # Places are the places plugin's: it attributes each to the model its sentence
    # speaks of (plugins/places), and fills model.places / model.localities.
    return {"figures": find_figures(text, matches)}


def on_articles_read(generator: Any) -> None:
    settings, context = generator.settings, generator.context
    state = load_state(settings, context)
    for model in state.models:  # lets {filename}/models/<file>.md links resolve
        context.setdefault("generated_content", {})[link_key(settings, model)] = model
    published = list(generator.articles)
    others = [*generator.translations, *generator.drafts, *generator.drafts_translations]
    others += [
        *getattr(generator, "hidden_articles", []),
        *getattr(generator, "hidden_translations", []),
    ]
    cache = story_cache(settings)
    found = {id(a): process_article(a, state, settings, cache) for a in published}
    for article in others:
        process_article(article, state, settings, cache)
    if cache is not None:
        cache.save()
        logger.info("model catalogue: %d stories from the cache", cache.hits)
    # Bodies changed after Pelican may have cached rendered content.
    Article.get_content.cache.clear()
    Article.get_summary.cache.clear()

    for article in sorted(published, key=lambda a: a.date, reverse=True):
        details = found[id(article)]
        for model in article.models:
            model.articles.append(article)
            for figure in details["figures"]:
                if figure.slug == model.slug:
                    model.figures.append(ModelFigure(figure, article))
    context["MODEL_CATALOG"] = state.models
    context["MODEL_GROUPS"] = group_models(state.models)
    context["GLOSSARY"] = glossary_entries(state.glossary)
    context["SYNONYM_GROUPS"] = state.synonyms
    context["MODELS_URL"] = SETTINGS.read(settings, "MODELS_URL")
    context["GLOSSARY_URL"] = SETTINGS.read(settings, "GLOSSARY_URL")
    generator._model_catalog_state = state


def glossary_entries(glossary: Glossary) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """(acronym, [(expansion, variants)]) sorted by acronym, for the glossary page.

    Expansions that differ only in punctuation or case ("phòng cháy chữa cháy" /
    "phòng cháy, chữa cháy") are one meaning: the first listed is shown and the
    others are its variants, so an acronym reads as one entry.
    """
    entries = []
    for acronym, expansions in glossary.entries.items():
        meanings: dict[str, tuple[str, list[str]]] = {}
        for expansion in expansions:
            key = " ".join(words(expansion))
            if key not in meanings:
                meanings[key] = (expansion, [])
            elif expansion != meanings[key][0] and expansion not in meanings[key][1]:
                meanings[key][1].append(expansion)
        entries.append((acronym, list(meanings.values())))
    return sorted(entries, key=lambda item: (fold(item[0]), item[0]))


class ModelFigure:
    """A figure on a model page: the figure, its sentence and its story."""

    def __init__(self, figure: Any, article: Any) -> None:
        self.text = figure.text
        self.sentence = figure.sentence
        self.quote = figure.quote
        self.article = article


class ModelGroup:
    def __init__(self, name: str, models: list[Model]) -> None:
        self.name = name
        self.slug = slugify(name)
        self.models = models

    @property
    def count(self) -> int:
        """Stories in the group (a story naming two of its models counts once)."""
        return len({id(article) for model in self.models for article in model.articles})


def group_models(models: list[Model]) -> list[ModelGroup]:
    groups: dict[str, list[Model]] = {}
    for model in models:
        groups.setdefault(model.group, []).append(model)
    return [ModelGroup(name, groups[name]) for name in sorted(groups, key=fold)]


def absolute(settings: dict, url: str) -> str:
    """A site URL for JSON-LD: absolute with SITEURL, root-relative without (as news_jsonld)."""
    return f"{str(settings.get('SITEURL', '')).rstrip('/')}/{url.lstrip('/')}"


def title_text(title: str) -> str:
    """The text of a story's title, which may hold markup or character references."""
    if "<" not in title and "&" not in title and title.strip(" \t\n\r\f"):
        # Nothing for a parser to do: it keeps such text as it is (checked on 200,000
        # random strings; it drops a title of whitespace only, left to it here).
        # A rebuild calls this for every story on a model page; importing bs4 there
        # compiled soupsieve's CSS patterns (~0.06 s of CPU) for nothing.
        return title
    from bs4 import BeautifulSoup

    return BeautifulSoup(title, "html.parser").get_text()


def model_jsonld(model: Model, settings: dict) -> str:
    """schema.org DefinedTerm + CollectionPage (its stories as an ItemList)."""
    page_url = absolute(settings, model.url)
    term = {
        "@type": "DefinedTerm",
        "@id": page_url + "#mo-hinh",
        "name": model.name,
        "description": model.description,
        "url": page_url,
        "inDefinedTermSet": {
            "@type": "DefinedTermSet",
            "name": "Danh mục mô hình",
            "url": absolute(settings, SETTINGS.read(settings, "MODELS_URL")),
        },
    }
    if model.aliases:
        term["alternateName"] = model.aliases
    page = {
        "@type": "CollectionPage",
        "@id": page_url,
        "name": f"Mô hình {model.name}",
        "url": page_url,
        "inLanguage": "vi",
        "about": {"@id": term["@id"]},
        "mainEntity": {
            "@type": "ItemList",
            "numberOfItems": len(model.articles),
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "item": {
                        "@type": "NewsArticle",
                        "headline": normalize(title_text(a.title)),
                        "url": absolute(settings, a.url),
                        "datePublished": a.date.isoformat(),
                    },
                }
                for position, a in enumerate(model.articles, start=1)
            ],
        },
    }
    if model.localities:
        term["spatialCoverage"] = [{"@type": "Place", "name": p} for p in model.localities]
    return dump_jsonld({"@context": "https://schema.org", "@graph": [term, page]})


def directory_jsonld(groups: list[ModelGroup], settings: dict) -> str:
    terms = [model for group in groups for model in group.models]
    return dump_jsonld(
        {
            "@context": "https://schema.org",
            "@type": "DefinedTermSet",
            "name": "Danh mục mô hình",
            "url": absolute(settings, SETTINGS.read(settings, "MODELS_URL")),
            "inLanguage": "vi",
            "hasDefinedTerm": [
                {"@type": "DefinedTerm", "name": m.name, "url": absolute(settings, m.url)}
                for m in terms
            ],
        }
    )


def dump_jsonld(data: dict) -> str:
    return script_json(data, indent=1)


class ModelPagesGenerator(Generator):
    """Writes mo-hinh/<slug>/, mo-hinh/ and thuat-ngu/ (see SETTINGS)."""

    def generate_context(self) -> None:
        if "MODEL_CATALOG" not in self.context:  # no ArticlesGenerator ran
            state = load_state(self.settings)
            self.context["MODEL_CATALOG"] = state.models
            self.context["MODEL_GROUPS"] = group_models(state.models)
            self.context["GLOSSARY"] = glossary_entries(state.glossary)
            self.context["SYNONYM_GROUPS"] = state.synonyms

    def generate_output(self, writer: Any) -> None:
        settings = self.settings
        relative = settings.get("RELATIVE_URLS", False)
        models = self.context["MODEL_CATALOG"]
        groups = self.context["MODEL_GROUPS"]
        for model in models:
            writer.write_file(
                model.save_as,
                self.get_template("model"),
                self.context,
                relative_urls=relative,
                model=model,
                model_jsonld=model_jsonld(model, settings),
                page_name=model.url.rstrip("/"),
            )
        writer.write_file(
            SETTINGS.read(settings, "MODELS_SAVE_AS"),
            self.get_template("models"),
            self.context,
            relative_urls=relative,
            models=models,
            groups=groups,
            models_jsonld=directory_jsonld(groups, settings),
            page_name=SETTINGS.read(settings, "MODELS_URL").rstrip("/"),
        )
        writer.write_file(
            SETTINGS.read(settings, "GLOSSARY_SAVE_AS"),
            self.get_template("glossary"),
            self.context,
            relative_urls=relative,
            glossary=self.context["GLOSSARY"],
            synonym_groups=self.context.get("SYNONYM_GROUPS", []),
            page_name=SETTINGS.read(settings, "GLOSSARY_URL").rstrip("/"),
        )


def get_generators(pelican: Any) -> type[Generator]:
    return ModelPagesGenerator


def register() -> None:
    hide_tracebacks()
    SETTINGS.register()
    signals.article_generator_finalized.connect(on_articles_read)
    signals.get_generators.connect(get_generators)
