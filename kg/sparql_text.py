"""The one SPARQL lexer of kg: enough of SPARQL's lexical grammar to tell keywords, variables
and prefixed names from strings, IRIs and comments, inside which anything may be written.

Three places read query text without a full parser, and all use this module: the named
queries (kg/queries.py: where a `# bind:` marker or the WHERE clause is), the SPARQL
protocol store (kg/store/: which form a query has, where its trailing VALUES go), and the
endpoint (web/views/sparql.py: SERVICE and LOAD refused, USING clauses added to
updates). It imports nothing of kg.
"""
from __future__ import annotations

import re
from typing import NamedTuple

_LEXEME = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][^\s{}()\[\];,<>"'\#?$=!&|*+/^]+)
  | (?P<word>[^\s{}()\[\];,<>"'\#?$=!&|*+/^]+)
  | (?P<punct>.)
""", re.VERBOSE | re.DOTALL)
OPAQUE = frozenset({"comment", "string", "iri"})


class Token(NamedTuple):
    kind: str   # "string", "iri", "var", "word" or "punct"
    text: str
    start: int
    end: int
    depth: int  # braces open before the token

    def keyword(self) -> str | None:
        """The word in upper case when it can be a keyword (not a prefixed name)."""
        if self.kind == "word" and ":" not in self.text:
            return self.text.upper()
        return None


def tokens(text: str) -> list[Token]:
    """The query's tokens, without white space and comments."""
    out, depth = [], 0
    for m in _LEXEME.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        if kind == "punct" and m.group() == "}":
            depth = max(0, depth - 1)
        out.append(Token(kind, m.group(), m.start(), m.end(), depth))
        if kind == "punct" and m.group() == "{":
            depth += 1
    return out


def blank_out(text: str) -> str:
    """The text with strings, IRIs and comments blanked out (same length, same offsets), so
    that a search for a keyword or a brace finds only real ones."""
    parts, last = [], 0
    for m in _LEXEME.finditer(text):
        if m.lastgroup in OPAQUE:
            parts.append(text[last:m.start()])
            parts.append(" " * (m.end() - m.start()))
            last = m.end()
    parts.append(text[last:])
    return "".join(parts)
