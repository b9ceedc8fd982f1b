"""Markdown through markdown-it-py (CommonMark plus tables): headings become the heading
path, every other top-level block one block of plain text. HTML comments, raw HTML tags,
link-reference definitions and front matter are dropped; link text, image alt text and
code are kept, link targets are not."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .outline import Document, Outline

FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n.*?\n(?:---|\+\+\+|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
TAG = re.compile(r"<!--.*?(?:-->|\Z)|<[^>]*>", re.S)

_parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def inline_text(token: Token) -> str:
    """The plain text of an inline token: text and code kept, markup and HTML dropped."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "text_special"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(inline_text(child))
    return re.sub(r"[ \t]{2,}", " ", "".join(parts)).strip()


def _container_text(tokens: list[Token]) -> str:
    """A list, table or quote as lines of text: one line per item or row."""
    out: list[str] = []
    for token in tokens:
        if token.type == "list_item_open":
            out.append("\n- ")
        elif token.type == "inline":
            out.append(inline_text(token))
        elif token.type in ("fence", "code_block"):
            out.append("\n" + token.content.rstrip("\n") + "\n")
        elif token.type == "html_block":
            out.append(TAG.sub("", token.content).strip())
        elif token.type == "paragraph_close":
            out.append("\n")
        elif token.type in ("th_close", "td_close"):
            out.append(" | ")
        elif token.type == "tr_close":
            out.append("\n")
    lines = (line.strip().removesuffix(" |").rstrip() for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line and line != "-")


def read_markdown(text: str) -> Document:
    outline = Outline()
    tokens = _parser.parse(FRONT_MATTER.sub("", text, count=1))
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.level != 0:
            index += 1
            continue
        if token.type == "heading_open":
            outline.heading(int(token.tag[1:]), inline_text(tokens[index + 1]))
            index += 3
        elif token.type in ("fence", "code_block"):
            outline.block(token.content.rstrip("\n"))
            index += 1
        elif token.type == "html_block":
            outline.block(TAG.sub("", token.content))  # a comment leaves nothing
            index += 1
        elif token.nesting == 1:  # a paragraph, list, table or quote: up to its closing token
            end = index + 1
            while not (tokens[end].level == 0 and tokens[end].nesting == -1):
                end += 1
            if token.type == "paragraph_open":
                outline.block(inline_text(tokens[index + 1]))
            else:
                outline.block(_container_text(tokens[index + 1:end]))
            index = end + 1
        else:
            index += 1
    return outline.finish()
