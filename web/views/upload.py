"""The upload page (`/upload`): paste or upload a report. A POST needs the update token when
one is set, else a loopback client (web/auth.py decides)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flask import jsonify, redirect, render_template, request, url_for
from werkzeug.utils import secure_filename

from kg.web import auth
from kg.web.views.viewer import bp, current_store


@bp.route("/upload", methods=["GET", "POST"])
def upload():
    token_set = bool(auth.update_token())
    if request.method == "GET":
        return render_template("upload.html", token_set=token_set, form={}, errors=[])
    why = auth.upload_refusal()
    if why is not None:
        return render_template("upload.html", token_set=token_set, form=request.form,
                               errors=[why]), 401 if token_set else 403
    errors, ids, summary = _ingest_upload()
    if errors:
        return render_template("upload.html", token_set=token_set, form=request.form,
                               errors=errors), 400
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"reports": ids, "summary": summary.text()})
    if len(ids) == 1:
        return redirect(url_for("pages.report_page", report_id=ids[0]), code=303)
    return render_template("upload.html", token_set=token_set, form={}, errors=[],
                           stored=ids, summary=summary.text())


def _ingest_upload():
    """Stores the pasted text or uploaded file; (errors, report ids, summary)."""
    from kg.ingest import IngestError, IngestSummary, ingest
    from kg.library import KnowledgeGraph
    from kg.reports import EXTENSIONS, Report, read_path

    form = request.form
    upload = request.files.get("file")
    store = current_store()
    if upload is not None and upload.filename:
        name = secure_filename(upload.filename) or "report.txt"
        if Path(name).suffix.lower() not in EXTENSIONS:
            return [f"{name}: unsupported file type; expected one of "
                    f"{', '.join(EXTENSIONS)}"], [], None
        with tempfile.TemporaryDirectory(prefix="kg-upload-") as folder:
            path = Path(folder) / name
            upload.save(path)
            items = read_path(path)
            ids = [r.id for r in items if isinstance(r, Report)]
            summary = ingest([path], store, progress=False)
        errors = [f.replace(folder + os.sep, "") for f in summary.failed]
        return errors, ids if not errors else [], summary
    text = form.get("text", "")
    report_id = form.get("id", "").strip()
    if not text.strip():
        return ["give the report's text, or a file"], [], None
    if not report_id:
        return ["give the report's id (letters, digits, '.', '_' or '-')"], [], None
    try:
        summary = KnowledgeGraph(store).ingest_text(
            text, report_id, published=form.get("published", "").strip() or None,
            source=form.get("source", "").strip() or None,
            title=form.get("title", "").strip() or None,
            url=form.get("url", "").strip() or None)
    except (ValueError, IngestError) as e:
        return [str(e)], [], IngestSummary()
    return [], [report_id], summary
