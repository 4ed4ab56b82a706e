"""/ontology: the ontology's classes, properties and code lists, from ontology/*.ttl.

The same data as ontology/ontology.md (both come from ontology/build_docs.py's `collect()`),
read once per process. Everything is rendered through Jinja's autoescaping: the terms' texts
are data, never markup.
"""
from __future__ import annotations

import functools
import importlib.util

from flask import Blueprint, render_template_string

from kg.validation import ontology_dir

bp = Blueprint("ontology", __name__)


@functools.lru_cache(maxsize=1)
def _doc() -> dict:
    # ontology/ is a folder of data files, not a package: load its generator by path.
    path = ontology_dir() / "build_docs.py"
    spec = importlib.util.spec_from_file_location("bkg_build_docs", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.collect(ontology_dir())


PAGE = """{% extends "base.html" %}
{% block title %}Ontology{% endblock %}
{% block main %}
<h1>{{ doc.title }} {{ doc.version }}</h1>
<p>{{ doc.description }}</p>
<p>Jump to: <a href="#classes">classes</a> · <a href="#object-properties">object properties</a>
 · <a href="#datatype-properties">datatype properties</a> · <a href="#code-lists">code lists</a>.
 <code>kg reason</code> writes what these axioms entail into the graph
 <code>&lt;https://bilateral-kg.org/graph/inferred&gt;</code>.</p>

<h2 id="classes">Classes</h2>
{% for c in doc.classes %}
<section id="{{ c.name }}">
<h3><code>{{ c.name }}</code> · {{ c.label }}</h3>
<p>{{ c.comment }}</p>
<ul>
{% if c.superclasses %}<li>subclass of: {% for s in c.superclasses %}<code>{{ s }}</code>{% if not loop.last %}, {% endif %}{% endfor %}</li>{% endif %}
{% for r in c.restrictions %}<li>every member: <code>{{ r }}</code></li>{% endfor %}
{% if c.definition %}<li>defined as: <code>{{ c.definition }}</code></li>{% endif %}
{% if c.disjoint %}<li>disjoint with: {{ c.disjoint | join(", ") }}</li>{% endif %}
</ul>
<pre>{{ c.example }}</pre>
</section>
{% endfor %}

{% for title, key, anchor in [("Object properties", "object_properties", "object-properties"),
                              ("Datatype properties", "datatype_properties", "datatype-properties")] %}
<h2 id="{{ anchor }}">{{ title }}</h2>
{% for p in doc[key] %}
<section id="{{ p.name }}">
<h3><code>{{ p.name }}</code> · {{ p.label }}</h3>
<p>{{ p.comment }}</p>
<ul>
<li>domain: <code>{{ p.domain or "-" }}</code>; range: <code>{{ p.range or "-" }}</code></li>
{% if p.characteristics %}<li>{{ p.characteristics | join("; ") }}</li>{% endif %}
</ul>
<pre>{{ p.example }}</pre>
</section>
{% endfor %}
{% endfor %}

<h2 id="code-lists">Code lists</h2>
{% for s in doc.schemes %}
<h3>{{ s.title }} (<code>{{ s.name }}</code>)</h3>
<table>
<tr><th>code</th><th>label</th><th>definition</th></tr>
{% for c in s.codes %}<tr><td><code>{{ c.code }}</code></td><td>{{ c.label }}</td><td>{{ c.definition }}</td></tr>
{% endfor %}
</table>
{% endfor %}
{% endblock %}
"""


@bp.get("/ontology")
def ontology_page():
    return render_template_string(PAGE, doc=_doc())
