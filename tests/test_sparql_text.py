"""kg.sparql_text, the one SPARQL lexer: strings, IRIs and comments hide what they hold."""
from kg.sparql_text import blank_out, tokens

TEXT = ('PREFIX ex: <http://example.org/a#> SELECT ?s # WHERE { SERVICE\n'
        'WHERE { ?s ex:p "}" , \'\'\'LOAD\n{\'\'\' . ?s ex:q <http://example.org/SERVICE> }')


def test_blank_out_keeps_offsets_and_hides_strings_iris_and_comments():
    blank = blank_out(TEXT)
    assert len(blank) == len(TEXT)
    assert blank.count("WHERE") == 1 and blank.index("WHERE") == TEXT.index("\nWHERE") + 1
    assert "LOAD" not in blank and "SERVICE" not in blank and "example.org" not in blank
    assert blank.count("{") == 1 and blank.count("}") == 1


def test_tokens_know_keywords_depth_and_prefixed_names():
    found = tokens(TEXT)
    keywords = [t.keyword() for t in found if (t.keyword() or "").isalpha()]
    assert keywords == ["PREFIX", "SELECT", "WHERE"]
    assert [t.text for t in found if t.kind == "word" and ":" in t.text] == ["ex:", "ex:p",
                                                                            "ex:q"]
    inside = [t for t in found if t.kind == "var"]
    assert [t.depth for t in inside] == [0, 1, 1]
    assert [t.kind for t in found if "LOAD" in t.text] == ["string"]
    assert [t.text for t in found if t.kind == "iri"] == ["<http://example.org/a#>",
                                                          "<http://example.org/SERVICE>"]
