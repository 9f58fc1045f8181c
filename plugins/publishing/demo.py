"""Demo content for ``ent demo``: Le Matin Tech's newsroom, in three sectors and three languages.

Runs without a request (no current workspace): every row names its workspace, every query
filters by it. Idempotent: an article whose slug exists is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ent_plugins.publishing import revisions
from ent_plugins.publishing.content import render_body
from ent_plugins.publishing.models import Article, ArticleAuthor, ArticleSector, Author, Tag

from ent_core import sdk

WORKSPACE = "lematin-tech"
JOURNALIST = "journaliste@demo.ent.ma"


@dataclass(frozen=True, slots=True)
class DemoAuthor:
    slug: str
    name: str
    bio: str
    email: str | None = None
    links: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class DemoArticle:
    slug: str
    language: str
    sector: str
    title: str
    standfirst: str
    body: str
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    days_ago: int
    state: str = "published"


AUTHORS = (
    DemoAuthor(
        "salma-journaliste",
        "Salma Journaliste",
        "Rédactrice en chef du *Matin Tech*, elle couvre le numérique et les start-up marocaines.",
        email=JOURNALIST,
        links=(("LinkedIn", "https://www.linkedin.com/"),),
    ),
    DemoAuthor(
        "karim-benali",
        "Karim Benali",
        "Reporter environnement, basé à Agadir. Suit l'eau, l'énergie et l'agriculture du Souss.",
    ),
    DemoAuthor(
        "nadia-el-amrani",
        "نادية العمراني",
        "صحفية متخصصة في المجتمع المدني والتنمية المحلية بجهة سوس ماسة.",
    ),
)

ARTICLES = (
    DemoArticle(
        "casablanca-centre-de-donnees-souverain",
        "fr",
        "it",
        "Casablanca accueille un centre de données souverain",
        "Le nouveau site de Nouaceur doit héberger les données publiques et celles des banques "
        "marocaines sur le territoire national.",
        "Le chantier a duré dix-huit mois. Le centre de données de Nouaceur, inauguré lundi, "
        "offre 12 mégawatts de capacité et vise la certification Tier IV.\n\n"
        "## Pourquoi c'est important\n\n"
        "Depuis la loi 05-20 sur la cybersécurité, les administrations doivent héberger leurs "
        "données sensibles au Maroc. Jusqu'ici, l'offre locale était limitée et chère.\n\n"
        "> « Nous voulons que les start-up aient accès au même niveau de service que les "
        "grandes banques », explique la directrice du site.\n\n"
        "Les premiers clients, deux banques et un opérateur télécom, migreront d'ici juin.",
        ("salma-journaliste",),
        ("cloud", "souveraineté numérique"),
        2,
    ),
    DemoArticle(
        "moroccan-start-ups-darija-language-models",
        "en",
        "it",
        "Moroccan start-ups bet on Darija language models",
        "Three young companies in Rabat and Casablanca are training AI models on Moroccan "
        "Arabic, a language big tech has long ignored.",
        "Most voice assistants still stumble over Darija. A handful of Moroccan start-ups want "
        "to change that by collecting their own speech and text data.\n\n"
        "## Data first\n\n"
        "The hardest part is not the model but the data: Darija is mostly spoken, written in "
        "both Arabic and Latin script, and mixes French and Amazigh words.\n\n"
        "One team has recorded 4,000 hours of call-centre conversations, with consent, to "
        "train a speech recogniser for customer service.",
        ("salma-journaliste",),
        ("intelligence artificielle", "darija"),
        5,
    ),
    DemoArticle(
        "noor-ouarzazate-dix-ans-energie-solaire",
        "ar",
        "green",
        "نور ورزازات: عشر سنوات من الطاقة الشمسية",
        "بعد عقد على تشغيل أولى محطاته، يوفر مجمع نور للطاقة الشمسية الكهرباء لأكثر من مليون "
        "مغربي، لكن تحدي الماء ما زال قائما.",
        "يعد مجمع نور ورزازات من أكبر محطات الطاقة الشمسية المركزة في العالم، بقدرة إجمالية "
        "تتجاوز 580 ميغاواط.\n\n"
        "## تحدي الماء\n\n"
        "تحتاج تقنية الطاقة الشمسية المركزة إلى كميات من الماء لتبريد المعدات وتنظيف المرايا، "
        "في منطقة تعاني من الجفاف منذ سنوات.\n\n"
        "ويؤكد المسؤولون أن المحطات الأحدث تعتمد التبريد الجاف لتقليص الاستهلاك بنسبة كبيرة.",
        ("nadia-el-amrani",),
        ("طاقة شمسية", "ماء"),
        3,
    ),
    DemoArticle(
        "agadir-arganeraie-face-a-la-secheresse",
        "fr",
        "green",
        "Agadir : l'arganeraie face à la sécheresse",
        "Six années sans pluies suffisantes fragilisent les arganiers du Souss. Coopératives "
        "et chercheurs testent des solutions.",
        "Dans la commune d'Imouzzer, les arganiers n'ont presque pas donné de fruits cette "
        "année. Les coopératives féminines, qui vivent de l'huile, voient leurs revenus "
        "baisser de moitié.\n\n"
        "## Des pistes\n\n"
        "- des retenues collinaires pour capter l'eau des rares orages ;\n"
        "- la replantation de jeunes plants sélectionnés pour leur résistance ;\n"
        "- la mise en défens de parcelles pour limiter le surpâturage.",
        ("karim-benali",),
        ("argan", "sécheresse"),
        7,
    ),
    DemoArticle(
        "souss-associations-digital-literacy",
        "ar",
        "civil_society",
        "جمعيات سوس تطلق برنامجا لمحو الأمية الرقمية",
        "عشرون جمعية محلية تتعاون لتدريب النساء والشباب في القرى على استعمال الخدمات الرقمية.",
        "أطلقت عشرون جمعية من جهة سوس ماسة برنامجا مشتركا لتعليم أساسيات استعمال الهاتف الذكي "
        "والخدمات الإدارية على الإنترنت.\n\n"
        "ويستهدف البرنامج في سنته الأولى ثلاثة آلاف مستفيد، أغلبهم من النساء في الجماعات "
        "القروية.\n\n"
        "وتقول إحدى المنسقات إن الهدف هو أن يتمكن كل مستفيد من إنجاز وثائقه الإدارية دون وسيط.",
        ("nadia-el-amrani",),
        ("جمعيات", "رقمنة"),
        1,
    ),
    DemoArticle(
        "volunteers-map-water-points-souss",
        "en",
        "civil_society",
        "Volunteers map every water point in the Souss valley",
        "An open map built by students and associations helps villages plan for dry summers.",
        "Armed with phones and an open-source mapping app, 150 volunteers have surveyed more "
        "than 2,000 wells, springs and standpipes since January.\n\n"
        "The data is published under an open licence, so local councils and NGOs can reuse "
        "it to decide where to dig or repair.\n\n"
        '"We wanted facts before the summer, not rumours," says one of the organisers.',
        ("karim-benali", "salma-journaliste"),
        ("eau", "données ouvertes"),
        4,
    ),
    DemoArticle(
        "marrakech-associations-de-quartier-se-federent",
        "fr",
        "civil_society",
        "À Marrakech, les associations de quartier se fédèrent",
        "Une trentaine d'associations créent une fédération pour peser dans les budgets "
        "participatifs de la ville.",
        "Elles organisaient chacune des cours de soutien, des ramassages de déchets ou des "
        "fêtes de quartier. Désormais, trente associations parleront d'une seule voix.\n\n"
        "La fédération veut obtenir que 5 % du budget d'investissement de la commune soit "
        "soumis au vote des habitants.",
        ("salma-journaliste",),
        ("démocratie locale",),
        0,
    ),
    DemoArticle(
        "fibre-optique-zones-rurales",
        "fr",
        "it",
        "La fibre optique arrive dans les zones rurales du Souss",
        "Un plan d'équipement vise 400 douars d'ici deux ans.",
        "Brouillon en relecture : chiffres à confirmer avec l'opérateur.",
        ("salma-journaliste",),
        ("télécoms",),
        0,
        state="in_review",
    ),
)


def load_demo(workspaces: dict[str, Any], users: dict[str, Any]) -> list[str]:
    """Create what is missing; returns the lines ``ent demo`` prints."""
    workspace = workspaces.get(WORKSPACE)
    if workspace is None:
        return []
    authors = {spec.slug: _author(workspace, spec, users) for spec in AUTHORS}
    created = 0
    for spec in ARTICLES:
        exists = sdk.db.session.scalar(
            sdk.db.select(Article.id).where(
                Article.workspace_id == workspace.id, Article.slug == spec.slug
            )
        )
        if exists is None:
            _article(workspace, spec, authors, users.get(JOURNALIST))
            created += 1
    sdk.db.session.commit()
    return [f"  publishing: {created} new articles in {WORKSPACE} ({len(ARTICLES)} in the demo)"]


def _author(workspace: Any, spec: DemoAuthor, users: dict[str, Any]) -> Author:
    author = sdk.db.session.scalar(
        sdk.db.select(Author).where(Author.workspace_id == workspace.id, Author.slug == spec.slug)
    )
    if author is None:
        user = users.get(spec.email) if spec.email else None
        author = Author(
            workspace_id=workspace.id,
            user_id=user.id if user is not None else None,
            name=spec.name,
            slug=spec.slug,
            bio=spec.bio,
            links=[{"label": label, "url": url} for label, url in spec.links],
        )
        sdk.db.session.add(author)
        sdk.db.session.flush()
    return author


def _tag(workspace: Any, name: str) -> Tag:
    from slugify import slugify

    slug = slugify(name, max_length=100)
    tag = sdk.db.session.scalar(
        sdk.db.select(Tag).where(Tag.workspace_id == workspace.id, Tag.slug == slug)
    )
    if tag is None:
        tag = Tag(workspace_id=workspace.id, name=name, slug=slug)
        sdk.db.session.add(tag)
    return tag


def _article(workspace: Any, spec: DemoArticle, authors: dict[str, Author], writer: Any) -> None:
    now = sdk.utcnow()
    published = spec.state == "published"
    article = Article(
        workspace_id=workspace.id,
        slug=spec.slug,
        title=spec.title,
        standfirst=spec.standfirst,
        body=spec.body,
        body_format="markdown",
        body_html=render_body(spec.body, "markdown"),
        language=spec.language,
        editorial_state="approved" if published else spec.state,
        publication_state="published" if published else "unpublished",
        published_at=now - timedelta(days=spec.days_ago, hours=3) if published else None,
        created_at=now - timedelta(days=spec.days_ago + 1),
        updated_at=now - timedelta(days=spec.days_ago),
        created_by_id=writer.id if writer is not None else None,
        syndicated=published,
        cover_variants={},
        seo_description=spec.standfirst[:300],
    )
    article.sector_rows.append(ArticleSector(sector=spec.sector))
    for position, slug in enumerate(spec.authors):
        article.author_links.append(
            ArticleAuthor(author=authors[slug], author_id=authors[slug].id, position=position)
        )
    article.tags = [_tag(workspace, name) for name in spec.tags]
    sdk.db.session.add(article)
    sdk.db.session.flush()
    revisions.record(article, writer, reason="create")
