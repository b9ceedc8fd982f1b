"""HTML through BeautifulSoup (Python's own html.parser, no compiled parser needed) and
markdownify: the page's main content (<main>, role=main, <article>, else <body>) without
scripts, styles, navigation, headers, footers, sidebars, forms, comments or Sphinx's
heading permalinks, converted to Markdown and read by the Markdown reader, so HTML and
Markdown documentation chunk alike (headings carried, code kept as code, tables as rows).
"""

from __future__ import annotations

import warnings

from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning
from markdownify import MarkdownConverter

from .markdown import read_markdown
from .outline import Document

DROP = ["script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button", "svg",
        "iframe", "object", "canvas", "head"]
DROP_SELECTORS = ("[role=navigation], [role=search], [role=banner], [role=contentinfo], [aria-hidden=true], "
                  "a.headerlink, .headerlink, .sphinxsidebar, .related, .breadcrumbs, .toc-backref")
MAIN_SELECTORS = ("main", "[role=main]", "article", "div.body", "div.document")


class _Converter(MarkdownConverter):
    """Links keep their text and lose their target; images are dropped."""

    def convert_a(self, el, text, parent_tags):  # noqa: ARG002 - markdownify's signature
        return text

    def convert_img(self, el, text, parent_tags):  # noqa: ARG002
        return ""


def read_html(raw: bytes | str) -> Document:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(raw, "html.parser")  # bytes: the declared or detected encoding
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    root = next((found for selector in MAIN_SELECTORS if (found := soup.select_one(selector))), None)
    root = root or soup.body or soup
    for tag in root.find_all(DROP):
        tag.decompose()
    for tag in root.select(DROP_SELECTORS):
        tag.decompose()
    markdown = _Converter(heading_style="ATX", bullets="-", escape_misc=False).convert_soup(root)
    document = read_markdown(markdown)
    document.title = title or document.title
    return document
