"""reStructuredText through docutils: sections become the heading path, every other
body element one block of its text. Comments, targets, substitution definitions and
docutils' own messages are dropped; file inclusion and raw passthrough are disabled (a
document cannot read other files). Sphinx's cross-reference roles (:ref:, :func:, ...)
are read as their text, so Sphinx sources ingest without Sphinx."""

from __future__ import annotations

import io
import re

from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives, roles
from docutils.parsers.rst.directives.body import CodeBlock

from .outline import Document, Outline

SPHINX_ROLES = ("ref", "doc", "term", "class", "func", "meth", "attr", "mod", "obj", "data", "exc", "const",
                "option", "envvar", "program", "file", "command", "kbd", "menuselection", "guilabel", "samp",
                "abbr", "keyword", "numref", "download", "any", "pep", "rfc")
SPHINX_SKIPPED_DIRECTIVES = ("toctree", "index", "only", "automodule", "autoclass", "autofunction", "highlight",
                             "currentmodule", "module", "literalinclude", "include")
SETTINGS = {"report_level": 5, "halt_level": 5, "warning_stream": io.StringIO(), "file_insertion_enabled": False,
            "raw_enabled": False, "doctitle_xform": False, "syntax_highlight": "none", "_disable_config": True,
            "input_encoding": "unicode"}
SKIP = (nodes.comment, nodes.system_message, nodes.substitution_definition, nodes.target, nodes.title,
        nodes.pending, nodes.raw)
TARGET = re.compile(r"^(.*?)\s*<[^<>]+>$", re.S)
ROLE = re.compile(r":[\w:.+-]+:`([^`]*)`")  # a role docutils does not know, e.g. :py:func:`x`


def _text_role(name, rawtext, text, lineno, inliner, options=None, content=None):  # noqa: ARG001 - docutils API
    """`Title <target>` reads as Title; a bare target as itself."""
    return [nodes.literal(rawtext, _plain(text))], []


class _Skipped(Directive):
    has_content = True
    optional_arguments = 10
    final_argument_whitespace = True
    option_spec = None

    def run(self):
        return []


def _register() -> None:
    for name in SPHINX_ROLES:
        roles.register_local_role(name, _text_role)
    for name in SPHINX_SKIPPED_DIRECTIVES:
        directives.register_directive(name, _Skipped)
    for name in ("code-block", "sourcecode"):
        directives.register_directive(name, CodeBlock)


_register()


def _text(node: nodes.Node) -> str:
    copy = node.deepcopy()
    for unwanted in list(copy.findall(lambda n: isinstance(n, (*SKIP, nodes.problematic)))):
        if unwanted.parent is None:
            continue
        if isinstance(unwanted, nodes.problematic):
            unwanted.parent.replace(unwanted, nodes.Text(ROLE.sub(lambda m: _plain(m.group(1)), unwanted.astext())))
        else:
            unwanted.parent.remove(unwanted)
    return copy.astext()


def _plain(text: str) -> str:
    match = TARGET.match(text)
    return (match.group(1) if match else text).lstrip("~!")


def _walk(outline: Outline, node: nodes.Element, depth: int) -> None:
    for child in node.children:
        if isinstance(child, nodes.section):
            title = next((c for c in child.children if isinstance(c, nodes.title)), None)
            outline.heading(depth + 1, title.astext() if title else "")
            _walk(outline, child, depth + 1)
        elif isinstance(child, (nodes.topic, nodes.sidebar)) and "contents" in child.get("classes", []):
            continue  # a table of contents repeats the headings
        elif not isinstance(child, SKIP) and isinstance(child, nodes.Element):
            outline.block(_text(child))


def read_rst(text: str) -> Document:
    outline = Outline()
    doctree = publish_doctree(text, settings_overrides=dict(SETTINGS, warning_stream=io.StringIO()))
    _walk(outline, doctree, 0)
    return outline.finish()
