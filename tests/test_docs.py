"""The ```python blocks of docs/*.md run as tests: each file's blocks in order, in one
namespace, in a fresh temporary folder, in a subprocess of their own (so that one file's
stores, environment and working folder cannot leak into another's)."""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# A fence opening with ```python (nothing else on the line), up to the closing fence.
BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)

# Runs the blocks given as JSON on stdin; on a failure, names the block and exits 1.
RUNNER = r"""
import json, sys, traceback
blocks = json.load(sys.stdin)
namespace = {"__name__": "__main__"}
for number, (line, code) in enumerate(blocks, start=1):
    try:
        exec(compile(code, f"{sys.argv[1]} block {number} (line {line})", "exec"), namespace)
    except BaseException:
        print(f"{sys.argv[1]}: block {number} (line {line}) failed:", file=sys.stderr)
        traceback.print_exc()
        sys.exit(1)
"""


def python_blocks(text: str) -> list[tuple[int, str]]:
    """(line number of the code's first line, code) of each ```python block."""
    return [(text.count("\n", 0, m.start(1)) + 1, m.group(1)) for m in BLOCK.finditer(text)]


def doc_files() -> list[Path]:
    return sorted(p for p in DOCS.glob("*.md")
                  if python_blocks(p.read_text(encoding="utf-8")))


def test_the_block_finder():
    text = "intro\n```python\nx = 1\n```\n\n```sh\nkg stats\n```\n```python\ny = 2\n```\n"
    assert python_blocks(text) == [(3, "x = 1\n"), (10, "y = 2\n")]


def test_the_library_tour_has_examples():
    assert (DOCS / "library.md") in doc_files()


@pytest.mark.slow
@pytest.mark.parametrize("doc", doc_files(), ids=lambda p: p.name)
def test_doc_examples_run(doc: Path, tmp_path: Path):
    blocks = python_blocks(doc.read_text(encoding="utf-8"))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.pop("KG_STORE", None)  # the examples' default store is the temporary folder's
    proc = subprocess.run([sys.executable, "-c", RUNNER, f"docs/{doc.name}"],
                          input=json.dumps(blocks), cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(proc.stderr.strip() or f"docs/{doc.name}: exit code {proc.returncode}",
                    pytrace=False)


# ---------------------------------------------------------------- the .jsonl fields

def documented_jsonl_fields() -> dict[str, tuple[str, str]]:
    """field -> (type, meaning), from the table of docs/report-formats.md's JSON Lines part."""
    section = (DOCS / "report-formats.md").read_text(encoding="utf-8").split(
        "## JSON Lines", 1)[1].split("\n## ", 1)[0]
    return {m[1]: (m[2].strip(), m[3].strip())
            for m in re.finditer(r"^\| `(\w+)` \|([^|]+)\|([^|]+)\|$", section, re.M)}


def test_the_jsonl_fields_documented_are_those_read(tmp_path):
    """Each field the table lists changes the report read, and no other name does: every
    metadata field of front matter and every attribute of a Report is tried."""
    import dataclasses

    from kg.reports import METADATA_FIELDS, Report, ReportError, read_path

    documented = documented_jsonl_fields()
    assert documented and all(kind and meaning for kind, meaning in documented.values())
    path = tmp_path / "reports.jsonl"

    def read(record: dict):
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        [report] = read_path(path)
        if isinstance(report, ReportError):
            return str(report)
        return (report.id, report.text, report.title, report.published, report.source,
                report.url)

    base = {"text": "Kenya and Tanzania held talks in Nairobi."}
    values = {"published": "2024-03-11", "date": "2024-03-11", "id": "line-one"}
    candidates = (set(documented) | set(METADATA_FIELDS)
                  | {f.name for f in dataclasses.fields(Report)}) - {"text"}
    read_fields = {name for name in candidates
                   if read({**base, name: values.get(name, "Some value")}) != read(base)}
    assert isinstance(read({"title": "no text"}), str)  # text is required: an error
    assert read_fields | {"text"} == set(documented)


# ---------------------------------------------------------------- the `kg` commands shown
# Every command line of a shell block (```sh, or a `$ kg` line of a transcript) that runs kg
# is run, in order, in a folder of its own holding `kg-data`, a store of the dev corpus, and
# each must exit 0 with a result: rows, not just a header. A README or doc command added later
# is run with no change here. Reads run while a `kg serve` holds kg-data (as after
# `make run`); writes to the folder run with no server holding it, or go through one.

SHELLS = ("sh", "bash", "")  # a block with no language is a transcript (`$ ` lines)
KG_LINE = re.compile(r"^(?:export +)?(?:[A-Z_]+=(?:\$\([^)]*\)|\S*) +)*kg\s")
# What the docs' examples name but a test cannot use as they are, and what stands for it:
# their fixed ports (a free one each run), the Virtuoso of docs/remote-store.md and its
# password (the throwaway one of tests/conftest.py), and an example host (that Virtuoso).
PORT_NAMES = ("127.0.0.1:5000", "127.0.0.1:8000")
VIRTUOSO_NAMES = ("http://127.0.0.1:8890", "https://kg.example.org")
READS = {"query", "sparql", "stats", "export", "validate"}
# Inputs the examples name, written here (texts of our own, not the corpus's).
REPORT_TEXT = ("---\nid: {id}\ntitle: {title}\npublished: 2024-05-02\n---\n"
               "NAIROBI, May 2 -- Kenya and Tanzania signed an agreement on cross-border trade "
               "on Thursday, the foreign ministers of the two countries said in Nairobi.\n")
MY_QUERY = "SELECT ?state ?name WHERE { ?state <https://bilateral-kg.org/ontology#iso3> ?c ; " \
           "<http://www.w3.org/2000/01/rdf-schema#label> ?name } LIMIT 5\n"


def command_lines(text: str) -> list[tuple[int, str, int]]:
    """(line number, command, block number) of each line that runs kg in a shell block, with
    the lines around them that set the environment (`export`) or talk to a server (`curl`); a
    `\\` at the end of a line joins it to the next."""
    found = []
    for block, (language, first, lines) in enumerate(fenced_blocks(text)):
        if language not in SHELLS:
            continue
        joined: list[tuple[int, str]] = []
        for number, line in enumerate(lines, start=first):
            if joined and joined[-1][1].endswith("\\"):
                joined[-1] = (joined[-1][0], joined[-1][1][:-1].rstrip() + " " + line.strip())
            else:
                joined.append((number, line))
        if language == "":  # a transcript: only its `$ ` lines are commands
            joined = [(n, line[2:]) for n, line in joined if line.startswith("$ ")]
        if any(KG_LINE.match(line.strip()) for _, line in joined):
            found += [(n, line.strip(), block) for n, line in joined
                      if KG_LINE.match(line.strip()) or line.startswith(("export ", "curl "))]
    return found


def fenced_blocks(text: str) -> list[tuple[str, int, list[str]]]:
    """(language, number of the first line inside, lines) of each ``` block, read fence by
    fence: a closing fence is never taken for an opening one."""
    blocks, current = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        fence = re.match(r"^```\s*(\S*)\s*$", line)
        if current is None and fence:
            current = (fence[1], number + 1, [])
        elif current is not None and re.match(r"^```\s*$", line):
            blocks.append(current)
            current = None
        elif current is not None:
            current[2].append(line)
    return blocks


def commanded_docs() -> list[Path]:
    return [p for p in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
            if command_lines(p.read_text(encoding="utf-8"))]


def test_the_command_finder():
    text = ("```sh\nkg query officials   # all\nKG_X=1 kg stats\n```\n```\n$ kg reason\n"
            "method: rl\n```\n```sh\npython x.py\n```\n```sh\nexport A=b\ncurl -X \\\n"
            "  PUT u\nkg serve &\n```\n")
    assert [(n, line) for n, line, _ in command_lines(text)] == [
        (2, "kg query officials   # all"), (3, "KG_X=1 kg stats"), (6, "kg reason"),
        (13, "export A=b"), (14, "curl -X PUT u"), (16, "kg serve &")]
    assert KG_LINE.match("KG_UPDATE_TOKEN=$(openssl rand -hex 32) kg serve")
    assert ROOT / "README.md" in commanded_docs()


def _has_rows(output: str) -> bool:
    """A result that is more than a header: lines after the first, no "(0 rows)", or JSON
    results with bindings."""
    text = output.strip()
    if text.startswith("{"):
        data = json.loads(text)
        return bool(data.get("results", {}).get("bindings")) or "boolean" in data
    lines = text.splitlines()
    return len(lines) >= 2 and "(0 rows)" not in lines[-1]


class _Sandbox:
    """A folder to run a doc's commands in, and the servers they start."""

    def __init__(self, folder: Path, env: dict[str, str]):
        self.folder, self.env, self.servers = folder, env, []
        self.port = _free_port()
        self.holder = None  # our own `kg serve` on kg-data, for reads

    def rewrite(self, line: str, virtuoso: str | None) -> str:
        for name in PORT_NAMES:
            line = line.replace(name, f"127.0.0.1:{self.port}")
        line = re.sub(r"--port \d+", f"--port {self.port}", line)
        if " kg serve" in f" {line}" and "--port" not in line:
            line = line.replace("kg serve", f"kg serve --port {self.port}", 1)
        if virtuoso:
            for name in VIRTUOSO_NAMES:
                line = line.replace(name, virtuoso)
            line = line.replace("KG_STORE_PASSWORD=...", "KG_STORE_PASSWORD=dba")
        if line.startswith("curl "):  # an HTTP error fails the command
            line = "curl -sS --fail-with-body " + line[len("curl "):]
        return line

    def serve(self, command: str, where: str) -> None:
        self.stop_all()
        log = open(self.folder / f"serve-{len(self.servers)}.log", "wb")
        # Its own process group: bash and the kg it starts are stopped together.
        process = subprocess.Popen(["bash", "-c", command.rstrip(" &")], cwd=self.folder,
                                   env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.servers.append(process)
        _wait_for(f"http://127.0.0.1:{self.port}/sparql", process, where, log.name)

    def hold_for_reads(self) -> None:
        if not self.servers:
            self.serve(f"kg serve --store kg-data --port {self.port}", "a kg serve for reads")
            self.holder = self.servers[-1]

    def release(self) -> None:
        if self.holder is not None:
            self.stop_all()

    def stop_all(self) -> None:
        for process in self.servers:
            _signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=20)
        self.servers, self.holder = [], None


def _signal_group(process, signum) -> None:
    try:
        os.killpg(process.pid, signum)  # the group this test started (start_new_session)
    except ProcessLookupError:
        pass


def _free_port() -> int:
    from kg_server import free_port
    return free_port()


def _wait_for(url: str, process, where: str, log: str) -> None:
    import time
    import urllib.request

    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{where}: kg serve did not answer: {Path(log).read_text()}",
                            pytrace=False)
            time.sleep(0.2)


def _store_of(command: str) -> str:
    m = re.search(r"--store\s+(\S+)", command)
    return m[1] if m else "kg-data"


@pytest.mark.slow
@pytest.mark.parametrize("doc", commanded_docs(), ids=lambda p: p.name)
def test_doc_commands_run(doc: Path, tmp_path: Path, dev_store, request):
    lines = command_lines(doc.read_text(encoding="utf-8"))
    virtuoso = None
    if any(name in line for _, line, _ in lines for name in VIRTUOSO_NAMES):
        virtuoso = request.getfixturevalue("virtuoso")
    work = tmp_path / "work"
    shutil.copytree(dev_store, work / "kg-data")
    (tmp_path / "shared").symlink_to(ROOT.parent / "shared")  # ../shared/corpus/dev
    for name, folder in (("new-report", "."), ("more", "more-reports"), ("later", "reports"),
                         ("added", "new-reports"), ("newer", "new")):
        (work / folder).mkdir(exist_ok=True)
        (work / folder / f"{name}.txt").write_text(
            REPORT_TEXT.format(id=f"doc-{name}", title=f"Trade agreement ({name})"))
    (work / "my-query.rq").write_text(MY_QUERY)
    (work / "extra.ttl").write_text("<https://example.org/a> <https://example.org/b> 1 .\n")
    bin_dir = str(Path(sys.executable).parent)  # `kg` as after activating the venv
    base = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    base["PATH"] = bin_dir + os.pathsep + base.get("PATH", "")
    sandbox = _Sandbox(work, dict(base))
    env, block = sandbox.env, None
    try:
        for number, line, in_block in lines:
            where = f"{doc.name}, line {number}: {line}"
            if in_block != block:
                # Each block in a shell of its own: its exports do not reach the next block.
                # A block naming the Virtuoso runs where its credentials are set, as the
                # doc's table of variables says (the throwaway server's).
                block = in_block
                env.clear()
                env.update(base)
                if virtuoso and any(name in other for _, other, b in lines if b == block
                                    for name in VIRTUOSO_NAMES):
                    env.update(KG_STORE_UPDATE_URL=f"{virtuoso}/sparql-auth",
                               KG_STORE_USER="dba", KG_STORE_PASSWORD="dba")
            command = sandbox.rewrite(line, virtuoso)
            if command.startswith("export "):
                for word in shlex.split(command, comments=True)[1:]:
                    key, _, value = word.partition("=")
                    env[key] = value
                continue
            if re.search(r"(^|\s)kg serve\s", command):
                sandbox.serve(command, where)
                continue
            verb = re.search(r"(?:^|\s)kg\s+(\w+)", command)
            local = not _store_of(command).startswith("sparql+")
            if verb and verb[1] in READS and local:
                sandbox.hold_for_reads()
            elif verb and local:
                sandbox.release()
            done = subprocess.run(["bash", "-c", command], cwd=work, env=env,
                                  capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, f"{where}\nexit {done.returncode}\n{done.stderr}"
            assert "Traceback" not in done.stderr, f"{where}\n{done.stderr}"
            output = re.search(r"(?:--output|\s-o|>)\s+(\S+)", command)
            if output:
                assert (work / output[1]).stat().st_size > 0, f"{where}: {output[1]} is empty"
            elif verb and verb[1] in ("query", "sparql"):
                assert _has_rows(done.stdout), f"{where}: no rows\n{done.stdout}"
            elif verb:
                assert done.stdout.strip(), f"{where}: no output\n{done.stderr}"
    finally:
        sandbox.stop_all()

