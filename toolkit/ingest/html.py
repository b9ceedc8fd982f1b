"""HTML through BeautifulSoup (Python's own html.parser, no compiled parser needed) and
markdownify: the page's main content (<main>, role=main, <article>, else <body>) without
scripts, styles, navigation (also DocBook's and Sphinx's), tables of contents, headers,
footers, sidebars, forms, comments or Sphinx's heading permalinks, converted to Markdown and read by the Markdown reader, so HTML and
Markdown documentation chunk alike (headings carried, code kept as code, tables as rows).
"""

from __future__ import annotations

import warnings

from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning, Tag
from markdownify import MarkdownConverter

from .markdown import read_markdown
from .outline import Document

DROP = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button", "svg",
        "iframe", "object", "canvas", "head"}
DROP_ROLES = {"navigation", "search", "banner", "contentinfo", "doc-toc"}
# Sphinx (permalinks, sidebars, breadcrumbs), DocBook (navigation tables), tables of contents
DROP_CLASSES = {"headerlink", "sphinxsidebar", "related", "breadcrumbs", "toc-backref", "nav", "navheader",
                "navfooter", "toc"}
MAIN = ("main", "role=main", "article", "div.body", "div.document")  # the first found, in this order


def _kind(tag) -> str | None:
    if tag.name in ("main", "article"):
        return tag.name
    if tag.get("role") == "main":
        return "role=main"
    if tag.name == "div":
        classes = tag.get("class") or ()
        return "div.body" if "body" in classes else "div.document" if "document" in classes else None
    return None


def _chrome(tag) -> bool:
    if tag.name in DROP or tag.get("role") in DROP_ROLES or tag.get("aria-hidden") == "true" or tag.get("id") == "toc":
        return True
    classes = tag.get("class") or ()
    return any(c in DROP_CLASSES for c in classes) or ("contents" in classes and "topic" in classes)


def _main(soup):
    """The page's content element, in one pass over the tags (CSS selectors took longer
    than the rest of the reader)."""
    found = {}
    for tag in soup.find_all(True):
        kind = _kind(tag)
        if kind and kind not in found:
            found[kind] = tag
            if kind == "main":
                break
    return next((found[k] for k in MAIN if k in found), None) or soup.body or soup


def _chrome_tags(root) -> list:
    """The outermost chrome elements under root, in one walk that skips their insides."""
    found, stack = [], [root]
    while stack:
        for child in stack.pop().children:
            if isinstance(child, Tag):
                (found if _chrome(child) else stack).append(child)
    return found


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
    root = _main(soup)
    for tag in _chrome_tags(root):
        tag.decompose()
    markdown = _Converter(heading_style="ATX", bullets="-", escape_misc=False).convert_soup(root)
    document = read_markdown(markdown)
    document.title = title or document.title
    return document
