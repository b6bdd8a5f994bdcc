"""The `aidlab` command: run the notebooks, manage the manifest, and run each pipeline step on files."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import warnings
from pathlib import Path
from typing import Literal

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


def _guard(out, inputs, kind: Literal["file", "folder"] = "file", option: str = "--out") -> None:
    """Refuse an output that would land on the evidence or cannot be written, before any work is done."""
    from .io import check_output, guard_output

    guard_output(out, inputs, kind=kind, option=option)
    check_output(out, kind=kind, option=option)


def cmd_run(args: argparse.Namespace) -> int:
    from .corpus.manifest import require_manifest
    from .runner import run_notebooks, store_outputs

    root = _project_root()
    notebooks = Path(args.notebooks or root / "notebooks")
    build = Path(args.build or root / DEFAULT_BUILD)
    corpus = Path(args.corpus or root / DEFAULT_CORPUS).resolve()
    figures = Path(args.figures or root / DEFAULT_FIGURES)
    require_manifest(corpus)
    from .io import check_output, guard_output

    for out, option in ((build / "notebooks", "--build"), (build / corpus.name, "--build"), (figures, "--figures")):
        guard_output(out, [corpus], kind="folder", option=option)
    check_output(build, kind="folder", option="--build")
    check_output(figures, kind="folder", option="--figures")
    if args.store:
        if args.corpus or args.figures or args.lang != "en":
            raise AidlabError("--store runs the notebooks with their own default parameters; drop --corpus/--figures/--lang")
        params: dict = {}
    else:
        params = {
            "corpus_dir": str(corpus),
            "build_root": str(build.resolve()),
            "figures_dir": str(figures.resolve()),
            "lang": args.lang,
        }
    # the build step first: every table of the corpus, once, into build/<corpus name>/ (skipped when unchanged);
    # each notebook's first cell calls build_corpus with the same corpus and build root and finds it current
    _build_corpus(corpus, build, workers=args.workers, dask=args.dask, force=False)
    executed = build / "notebooks" / corpus.name  # one folder per corpus: runs on two corpora never overwrite each other
    results = run_notebooks(notebooks, executed, params, only=args.only,
                            progress=lambda m: print(m, file=sys.stderr, flush=True))
    if args.store:
        store_outputs(results)
        print(f"stored outputs of {len(results)} notebook(s) back into {notebooks}", file=sys.stderr)
    print(f"ran {len(results)} notebook(s); executed copies in {executed}", file=sys.stderr)
    return 0


def cmd_manifest(args: argparse.Namespace) -> int:
    from .corpus.manifest import CURATED_COLUMNS, MANIFEST_COLUMNS, update_manifest

    manifest = update_manifest(args.folder)
    added = manifest.attrs.get("added", [])
    refused = manifest.attrs.get("refused", [])
    print(f"{Path(args.folder) / 'manifest.csv'}: {len(manifest)} file(s) listed, {len(added)} added", file=sys.stderr)
    print("fill in where you know them (blank = not curated):", file=sys.stderr)
    for col in CURATED_COLUMNS:
        print(f"  {col}: {MANIFEST_COLUMNS[col].removeprefix('Curated: ')}", file=sys.stderr)
    return 3 if refused else 0


def cmd_documents(args: argparse.Namespace) -> int:
    from .corpus.load import DOCUMENT_COLUMNS, read_documents

    _guard(args.out, args.paths)
    docs = read_documents(args.paths, on_error="flag", max_bytes=args.max_bytes)
    cols = [c for c in DOCUMENT_COLUMNS if c != "text"]
    _write_csv(docs[cols], args.out)
    return _status(docs)


def _status(loaded) -> int:
    """Exit code after a run: 0, or 3 when some files were unusable (they were named on stderr)."""
    return 0 if loaded["usable"].all() else 3


def _stream(args: argparse.Namespace, folder, **tables):
    """Stream the pages of args.paths through the pipeline into `folder` (chunk by chunk, flat memory)."""
    from .pipeline import stream
    from .progress import PageProgress

    with PageProgress(args.command) as bar:
        return stream(args.paths, folder, workers=args.workers, dask=args.dask, progress=bar,
                      max_bytes=args.max_bytes, **tables)


def _out_tables(out: str, name: str) -> dict:
    """The tables to stream for `--out`: CSV (copied as streamed) or, for .parquet/.xlsx, Parquet to convert.

    Checks the extension before any work, so `--out x.json` fails at once (exit 2, no traceback).
    """
    if _is_stream(out) or Path(out).suffix.lower() == ".csv":
        return {"csv_tables": (name,)}
    from .tables import table_format

    table_format(Path(out))
    return {"parquet_tables": (name,)}


def _deliver(folder: Path, name: str, out: str, rows: int) -> None:
    """Deliver a streamed table to `out`: CSV copied atomically (or to stdout for '-'); .parquet and .xlsx
    written by aidlab.tables.write_table, the one writer for every format, with the data dictionary beside."""
    import shutil

    if out == "-":
        with open(folder / f"{name}.csv", encoding="utf-8", newline="") as fh:
            shutil.copyfileobj(fh, sys.stdout)
        sys.stdout.flush()
        return
    target = Path(out)
    if _is_stream(out):  # a device or FIFO: streamed into, no dictionary beside it
        with open(folder / f"{name}.csv", "rb") as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
        print(f"wrote {rows} row(s) to {out}", file=sys.stderr)
        return
    if target.suffix.lower() == ".csv":
        from .io import atomic_path

        with atomic_path(target) as tmp:
            shutil.copyfile(folder / f"{name}.csv", tmp)
        with atomic_path(target.with_name(f"{target.stem}.dictionary.csv")) as tmp:
            shutil.copyfile(folder / f"{name}.dictionary.csv", tmp)
    else:
        import pandas as pd

        from .pipeline import TABLE_DICTIONARIES
        from .tables import write_table

        write_table(pd.read_parquet(folder / f"{name}.parquet"), target, TABLE_DICTIONARIES[name])
    print(f"wrote {rows} row(s) to {out} (+ {target.stem}.dictionary.csv)", file=sys.stderr)


def _problems_status(summary) -> int:
    """Exit code after a streamed run: 0, or 3 when some pages were unusable (named on stderr, listed again here)."""
    return _list_problems(summary.problems)


def _list_problems(problems) -> int:
    if not problems:
        return 0
    shown = [Path(p).name for p, _ in problems[:20]]
    more = f" and {len(problems) - 20} more" if len(problems) > 20 else ""
    print(f"aidlab: {len(problems)} page(s) unusable (documents table: usable=False, problem says why): "
          f"{', '.join(shown)}{more}", file=sys.stderr)
    return 3


def cmd_clean(args: argparse.Namespace) -> int:
    from .pipeline import clean_output_entry, swapped_folder

    _guard(args.out, args.paths, kind="folder")
    # written into a temporary folder beside --out and swapped in whole: never half-written, never stale texts
    with swapped_folder(args.out, allowed=clean_output_entry) as tmp:
        summary = _stream(args, tmp, csv_tables=("documents", "segments", "spans"), texts=True)
    print(f"wrote {args.out}: documents.csv, segments.csv, spans.csv (+ data dictionaries) "
          f"and clean/<doc_id>.txt ({summary.rows.get('documents', 0)} document(s))", file=sys.stderr)
    return _problems_status(summary)


def cmd_claims(args: argparse.Namespace) -> int:
    import tempfile

    _guard(args.out, args.paths)
    with tempfile.TemporaryDirectory(prefix="aidlab-claims-") as tmp:
        summary = _stream(args, tmp, **_out_tables(args.out, "claims"))
        _deliver(Path(tmp), "claims", args.out, summary.rows["claims"])
    return _problems_status(summary)


def cmd_reconcile(args: argparse.Namespace) -> int:
    import tempfile

    _guard(args.out, args.paths)
    with tempfile.TemporaryDirectory(prefix="aidlab-reconcile-") as tmp:
        summary = _stream(args, tmp, **_out_tables(args.out, "checks"))
        _deliver(Path(tmp), "checks", args.out, summary.rows["checks"])
    print("verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.verdicts.items())), file=sys.stderr)
    return _problems_status(summary)


def _build_corpus(corpus: Path, build_root: Path, *, workers: int, dask: str | None, force: bool) -> Path:
    from .build import BUILD_RECORD, build_corpus, read_record
    from .progress import PageProgress

    before = (Path(build_root) / corpus.resolve().name / BUILD_RECORD)
    stamp = before.stat().st_mtime_ns if before.exists() else None
    with PageProgress("build") as bar:
        target = build_corpus(corpus, build_root, workers=workers, dask=dask, force=force, progress=bar)
    record = read_record(target) or {}
    fresh = stamp is None or (target / BUILD_RECORD).stat().st_mtime_ns != stamp
    print(f"{'built' if fresh else 'up to date (inputs unchanged)'}: {target} "
          f"({len(record.get('pages', {}))} page(s), {record.get('rows', {}).get('claims', 0)} claims)", file=sys.stderr)
    return target


def cmd_build(args: argparse.Namespace) -> int:
    from .build import read_record
    from .io import guard_output

    guard_output(Path(args.build_root) / Path(args.corpus).resolve().name, [args.corpus], kind="folder",
                 option="--build-root")
    target = _build_corpus(Path(args.corpus), Path(args.build_root), workers=args.workers, dask=args.dask,
                           force=args.force)
    return _list_problems((read_record(target) or {}).get("problems", []))


def _write_csv(df, out: str, dictionary: dict | None = None) -> None:
    """Write a table to a path (format by extension: .csv, .parquet, .xlsx; atomically) or CSV to stdout for '-'."""
    from .tables import write_table

    written = write_table(df, out, None if _is_stream(out) else dictionary)
    if written:
        extra = f" (+ {written[1].name})" if len(written) > 1 else ""
        print(f"wrote {len(df)} row(s) to {out}{extra}", file=sys.stderr)


def cmd_show(args: argparse.Namespace) -> int:
    from .build import build_corpus, load_tables
    from .show import claim_report

    root = _project_root()
    corpus = Path(args.corpus or root / DEFAULT_CORPUS)
    tables_dir = build_corpus(corpus, args.build or root / DEFAULT_BUILD)
    sys.stdout.write(claim_report(args.claim_id, load_tables(tables_dir), tables_dir, corpus))
    return 0


def _is_stream(out: str) -> bool:
    """True for stdout ('-') and for a device or FIFO: written into directly, no dictionary beside it."""
    from .io import is_streamed

    return out == "-" or is_streamed(out)


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
    from .corpus.load import MAX_PAGE_BYTES

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
    run.add_argument("--workers", type=int, default=1, help="processes for the build step before the notebooks (default 1)")
    _add_dask(run)
    run.set_defaults(func=cmd_run)

    man = sub.add_parser("manifest", help="add new files of a corpus folder to its manifest.csv (never changes listed rows)")
    man.add_argument("folder")
    man.set_defaults(func=cmd_manifest)

    docs = sub.add_parser("documents", help="load files/folders and write the documents table (without text)")
    docs.add_argument("paths", nargs="+")
    docs.add_argument("--out", default="-", help="table path (.csv, .parquet, .xlsx), or - for CSV on stdout (default)")
    _max_bytes_option(docs)
    docs.set_defaults(func=cmd_documents)

    show = sub.add_parser("show", help="one claim as a footnote cites it: page, url, date, marked sentence, offsets, checks")
    show.add_argument("claim_id", help="claim id, <doc_id>#<n> (see the claims table)")
    show.add_argument("--corpus", help=f"corpus folder (default: {DEFAULT_CORPUS}/); built first if its tables are missing")
    show.add_argument("--build", help=f"build root (default: {DEFAULT_BUILD}/)")
    show.set_defaults(func=cmd_show)

    dic = sub.add_parser("dictionary", help="write the data dictionary of every table as Markdown")
    dic.add_argument("--out", default="docs/data_dictionary.md", help="Markdown path, or - for stdout")
    dic.set_defaults(func=cmd_dictionary)

    for name, func, help_text, out_help in [
        ("clean", cmd_clean, "clean pages: documents, segments and corrupt-span tables plus one clean text per document",
         "output folder (created)"),
        ("claims", cmd_claims, "extract every reported figure as an interval-valued claim",
         "table path (.csv, .parquet, .xlsx), or - for CSV on stdout"),
        ("reconcile", cmd_reconcile, "check whether the figures agree (GRIM, ranges, parts/totals, changes, repeats, across documents)",
         "table path (.csv, .parquet, .xlsx), or - for CSV on stdout"),
    ]:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of scraped pages")
        p.add_argument("--out", required=True, help=out_help)
        p.add_argument("--workers", type=int, default=1, help="processes to use (default 1)")
        _add_dask(p)
        _max_bytes_option(p)
        p.set_defaults(func=func)

    b = sub.add_parser("build", help="compute every table of a corpus once into BUILD_ROOT/<corpus name>/ (Parquet + CSV); "
                                     "skipped when pages, manifest and package are unchanged")
    b.add_argument("corpus", metavar="CORPUS", help="corpus folder (pages + manifest.csv)")
    b.add_argument("--build-root", default=DEFAULT_BUILD, help=f"where build folders go (default: {DEFAULT_BUILD}/)")
    b.add_argument("--workers", type=int, default=1, help="processes to use (default 1)")
    b.add_argument("--force", action="store_true", help="rebuild even when the recorded input hash matches")
    _add_dask(b)
    _max_bytes_option(b)
    b.set_defaults(func=cmd_build)
    return parser


def _add_dask(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dask", nargs="?", const="local", default=None, metavar="ADDRESS",
                   help="map pages with Dask: without ADDRESS a local cluster (2 worker processes), with one "
                        "(tcp://host:8786) an existing scheduler whose workers can read the pages (needs aidlab[dask])")


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
