"""The `aidlab` command: run the notebooks, manage the manifest, and run each pipeline step on files."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import warnings
from pathlib import Path

from .errors import AidlabError

#: Exit status after Ctrl-C (128 + SIGINT), with the single line "aidlab: interrupted".
EXIT_INTERRUPTED = 130
#: Exit status when the reader of `--out -` closed the pipe early (128 + SIGPIPE, as `cat` or `grep` give).
EXIT_BROKEN_PIPE = 141

DEFAULT_CORPUS = "seeds"
DEFAULT_BUILD = "build"
DEFAULT_FIGURES = "figures"


def _project_root() -> Path:
    """The folder holding notebooks/ (the current directory or one of its parents)."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "notebooks").is_dir() and (folder / "pyproject.toml").exists():
            return folder
    return here


def _guard(out, inputs, kind: str = "file", option: str = "--out") -> None:
    """Refuse an output that would land on the evidence or cannot be written, before any work is done."""
    from .io import check_output, guard_output

    guard_output(out, inputs, kind=kind, option=option)
    check_output(out, kind=kind, option=option)


def cmd_run(args: argparse.Namespace) -> int:
    from .manifest import require_manifest
    from .runner import run_notebooks, store_outputs

    root = _project_root()
    notebooks = Path(args.notebooks or root / "notebooks")
    build = Path(args.build or root / DEFAULT_BUILD)
    if args.store:
        if args.corpus or args.figures or args.lang != "en":
            raise AidlabError("--store runs the notebooks with their own default parameters; drop --corpus/--figures/--lang")
        params: dict = {}
    else:
        corpus = Path(args.corpus or root / DEFAULT_CORPUS)
        figures = Path(args.figures or root / DEFAULT_FIGURES)
        require_manifest(corpus)
        from .io import check_output, guard_output

        for out, option in ((build / "notebooks", "--build"), (build / "tables", "--build"), (figures, "--figures")):
            guard_output(out, [corpus], kind="folder", option=option)
        check_output(build, kind="folder", option="--build")
        check_output(figures, kind="folder", option="--figures")
        params = {
            "corpus_dir": str(corpus.resolve()),
            "out_dir": str((build / "tables").resolve()),
            "figures_dir": str(figures.resolve()),
            "lang": args.lang,
        }
    results = run_notebooks(notebooks, build / "notebooks", params, only=args.only,
                            progress=lambda m: print(m, file=sys.stderr, flush=True))
    if args.store:
        store_outputs(results)
        print(f"stored outputs of {len(results)} notebook(s) back into {notebooks}", file=sys.stderr)
    print(f"ran {len(results)} notebook(s); executed copies in {build / 'notebooks'}", file=sys.stderr)
    return 0


def cmd_manifest(args: argparse.Namespace) -> int:
    from .manifest import CURATED_COLUMNS, MANIFEST_COLUMNS, update_manifest

    manifest = update_manifest(args.folder)
    added = manifest.attrs.get("added", [])
    refused = manifest.attrs.get("refused", [])
    print(f"{Path(args.folder) / 'manifest.csv'}: {len(manifest)} file(s) listed, {len(added)} added", file=sys.stderr)
    print("fill in where you know them (blank = not curated):", file=sys.stderr)
    for col in CURATED_COLUMNS:
        print(f"  {col}: {MANIFEST_COLUMNS[col].removeprefix('Curated: ')}", file=sys.stderr)
    return 3 if refused else 0


def cmd_documents(args: argparse.Namespace) -> int:
    from .load import DOCUMENT_COLUMNS, read_documents

    _guard(args.out, args.paths)
    docs = read_documents(args.paths, on_error="flag", max_bytes=args.max_bytes)
    cols = [c for c in DOCUMENT_COLUMNS if c != "text"]
    _write_csv(docs[cols], args.out)
    return _status(docs)


def _status(loaded) -> int:
    """Exit code after a run: 0, or 3 when some files were unusable (they were named on stderr)."""
    return 0 if loaded["usable"].all() else 3


def _build(args: argparse.Namespace):
    from .pipeline import build, stderr_progress

    return build(args.paths, workers=args.workers, progress=stderr_progress, max_bytes=args.max_bytes)


def cmd_clean(args: argparse.Namespace) -> int:
    from .pipeline import export

    _guard(args.out, args.paths, kind="folder")
    tables = _build(args)
    written = export(tables, args.out, which=("documents", "segments", "spans"))
    print(f"wrote {len(written)} file(s) to {args.out}: documents.csv, segments.csv, spans.csv (+ data dictionaries) "
          f"and clean/<doc_id>.txt", file=sys.stderr)
    return _status(tables.loaded)


def cmd_claims(args: argparse.Namespace) -> int:
    from .pipeline import CLAIMS_COLUMNS

    _guard(args.out, args.paths)
    tables = _build(args)
    _write_csv(tables.claims, args.out, CLAIMS_COLUMNS)
    return _status(tables.loaded)


def cmd_reconcile(args: argparse.Namespace) -> int:
    from .reconcile import CHECK_COLUMNS

    _guard(args.out, args.paths)
    tables = _build(args)
    _write_csv(tables.checks, args.out, CHECK_COLUMNS)
    counts = tables.checks["verdict"].value_counts().to_dict()
    print("verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), file=sys.stderr)
    return _status(tables.loaded)


def _write_csv(df, out: str, dictionary: dict | None = None) -> None:
    """Write a table as CSV to a path (atomically) or to stdout for '-'."""
    if out == "-":
        df.to_csv(sys.stdout, index=False, lineterminator="\n")
        sys.stdout.flush()  # a closed pipe shows here, inside main, not at interpreter exit
        return
    if dictionary is not None and not _is_stream(out):
        from .tables import write_table

        write_table(df, out, dictionary)
        print(f"wrote {len(df)} row(s) to {out} (+ {Path(out).stem}.dictionary.csv)", file=sys.stderr)
        return
    from .io import atomic_path

    with atomic_path(out) as tmp:
        df.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    print(f"wrote {len(df)} row(s) to {out}", file=sys.stderr)


def _is_stream(out: str) -> bool:
    """True for a device or FIFO (after following a link): written into directly, no dictionary beside it."""
    import stat

    try:
        mode = Path(out).stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def cmd_dictionary(args: argparse.Namespace) -> int:
    from .dictionary import render_markdown
    from .io import write_text

    _guard(args.out, [])
    text = render_markdown()
    if args.out == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_text(args.out, text)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _max_bytes_option(parser: argparse.ArgumentParser) -> None:
    from .load import MAX_PAGE_BYTES

    parser.add_argument("--max-bytes", type=int, default=MAX_PAGE_BYTES, metavar="N",
                        help=f"pages larger than N bytes are refused as unusable (default {MAX_PAGE_BYTES:,})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aidlab", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="execute notebooks/NN_*.ipynb in order with papermill (the main job)")
    run.add_argument("--corpus", help=f"folder of source documents (default: {DEFAULT_CORPUS}/)")
    run.add_argument("--figures", help=f"where figures and paper tables go (default: {DEFAULT_FIGURES}/)")
    run.add_argument("--build", help=f"build folder for executed notebooks and tables (default: {DEFAULT_BUILD}/)")
    run.add_argument("--notebooks", help="folder of numbered notebooks (default: notebooks/)")
    run.add_argument("--lang", choices=["en", "zh"], default="en", help="language of figure labels")
    run.add_argument("--only", nargs="+", metavar="NN", help="run only notebooks whose name starts with these prefixes")
    run.add_argument("--store", action="store_true",
                     help="after a successful run with default parameters, copy outputs back into notebooks/ (updates nbval's oracle)")
    run.set_defaults(func=cmd_run)

    man = sub.add_parser("manifest", help="add new files of a corpus folder to its manifest.csv (never changes listed rows)")
    man.add_argument("folder")
    man.set_defaults(func=cmd_manifest)

    docs = sub.add_parser("documents", help="load files/folders and write the documents table (without text)")
    docs.add_argument("paths", nargs="+")
    docs.add_argument("--out", default="-", help="CSV path, or - for stdout (default)")
    _max_bytes_option(docs)
    docs.set_defaults(func=cmd_documents)

    dic = sub.add_parser("dictionary", help="write the data dictionary of every table as Markdown")
    dic.add_argument("--out", default="docs/data_dictionary.md", help="Markdown path, or - for stdout")
    dic.set_defaults(func=cmd_dictionary)

    for name, func, help_text, out_help in [
        ("clean", cmd_clean, "clean pages: documents, segments and corrupt-span tables plus one clean text per document",
         "output folder (created)"),
        ("claims", cmd_claims, "extract every reported figure as an interval-valued claim", "CSV path, or - for stdout"),
        ("reconcile", cmd_reconcile, "check whether the figures agree (GRIM, ranges, parts/totals, changes, repeats, across documents)",
         "CSV path, or - for stdout"),
    ]:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of scraped pages")
        p.add_argument("--out", required=True, help=out_help)
        p.add_argument("--workers", type=int, default=1, help="processes to use (default 1)")
        _max_bytes_option(p)
        p.set_defaults(func=func)
    return parser


def _install_interrupt_handler():
    """Ctrl-C: the main process raises KeyboardInterrupt (reported by `main` in one line). Worker
    processes forked from it (`--workers N`) inherit this handler and ignore the signal: the parent
    stops handing out pages, the workers finish the page in hand and exit normally (no tracebacks,
    no orphans). Returns the previous handler (None when signals cannot be set from this thread)."""
    parent = os.getpid()

    def on_sigint(signum, frame):
        if os.getpid() == parent:
            raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGINT, on_sigint)
    except ValueError:  # not the main thread
        return None


def _quiet_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the interpreter's final flush stays silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    """Run one command. Exit codes: 0 ok; 2 error (one line naming the file and the problem); 3 finished
    but some files were unusable (named on stderr); 130 interrupted (Ctrl-C); 141 the reader of stdout
    went away (`--out - | head`), quietly."""
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = _install_interrupt_handler()
    try:
        return _dispatch(args)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _dispatch(args: argparse.Namespace) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = lambda msg, cat, *a, **k: print(f"aidlab: warning: {msg}", file=sys.stderr)
        try:
            return args.func(args)
        except AidlabError as exc:
            print(f"aidlab: error: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("aidlab: interrupted", file=sys.stderr)
            return EXIT_INTERRUPTED
        except BrokenPipeError:
            _quiet_stdout()
            return EXIT_BROKEN_PIPE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
