"""The `aidlab` command: run the notebooks, manage the manifest, and run each pipeline step on files."""
from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from .errors import AidlabError

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


def cmd_run(args: argparse.Namespace) -> int:
    from .runner import run_notebooks, store_outputs

    root = _project_root()
    notebooks = Path(args.notebooks or root / "notebooks")
    build = Path(args.build or root / DEFAULT_BUILD)
    corpus = Path(args.corpus or root / DEFAULT_CORPUS).resolve()
    if args.store:
        if args.corpus or args.figures or args.lang != "en":
            raise AidlabError("--store runs the notebooks with their own default parameters; drop --corpus/--figures/--lang")
        params: dict = {}
    else:
        params = {
            "corpus_dir": str(corpus),
            "build_root": str(build.resolve()),
            "figures_dir": str(Path(args.figures or root / DEFAULT_FIGURES).resolve()),
            "lang": args.lang,
        }
    executed = build / "notebooks" / corpus.name  # one folder per corpus: runs on two corpora never overwrite each other
    results = run_notebooks(notebooks, executed, params, only=args.only,
                            progress=lambda m: print(m, file=sys.stderr, flush=True))
    if args.store:
        store_outputs(results)
        print(f"stored outputs of {len(results)} notebook(s) back into {notebooks}", file=sys.stderr)
    print(f"ran {len(results)} notebook(s); executed copies in {executed}", file=sys.stderr)
    return 0


def cmd_manifest(args: argparse.Namespace) -> int:
    from .manifest import update_manifest

    manifest = update_manifest(args.folder)
    print(f"{Path(args.folder) / 'manifest.csv'}: {len(manifest)} file(s) listed", file=sys.stderr)
    return 0


def cmd_documents(args: argparse.Namespace) -> int:
    from .load import DOCUMENT_COLUMNS, read_documents

    docs = read_documents(args.paths, on_error="flag")
    cols = [c for c in DOCUMENT_COLUMNS if c != "text"]
    _write_csv(docs[cols], args.out)
    return _status(docs)


def _status(loaded) -> int:
    """Exit code after a run: 0, or 3 when some files were unusable (they were named on stderr)."""
    return 0 if loaded["usable"].all() else 3


def _build(args: argparse.Namespace):
    from .pipeline import stderr_progress, build

    return build(args.paths, workers=args.workers, progress=stderr_progress)


def cmd_clean(args: argparse.Namespace) -> int:
    from .pipeline import export

    tables = _build(args)
    written = export(tables, args.out, which=("documents", "segments", "spans"))
    print(f"wrote {len(written)} file(s) to {args.out}: documents.csv, segments.csv, spans.csv (+ data dictionaries) "
          f"and clean/<doc_id>.txt", file=sys.stderr)
    return _status(tables.loaded)


def cmd_claims(args: argparse.Namespace) -> int:
    from .claims import CLAIM_COLUMNS

    tables = _build(args)
    _write_csv(tables.claims, args.out, CLAIM_COLUMNS)
    return _status(tables.loaded)


def cmd_reconcile(args: argparse.Namespace) -> int:
    from .reconcile import CHECK_COLUMNS

    tables = _build(args)
    _write_csv(tables.checks, args.out, CHECK_COLUMNS)
    counts = tables.checks["verdict"].value_counts().to_dict()
    print("verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), file=sys.stderr)
    return _status(tables.loaded)


def _write_csv(df, out: str, dictionary: dict | None = None) -> None:
    """Write a table to a path (format by extension: .csv, .parquet, .xlsx; atomically) or CSV to stdout for '-'."""
    from .tables import write_table

    written = write_table(df, out, dictionary)
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


def cmd_dictionary(args: argparse.Namespace) -> int:
    from .dictionary import render_markdown
    from .io import write_text

    text = render_markdown()
    if args.out == "-":
        sys.stdout.write(text)
    else:
        write_text(args.out, text)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


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
    docs.add_argument("--out", default="-", help="table path (.csv, .parquet, .xlsx), or - for CSV on stdout (default)")
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
        p.set_defaults(func=func)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = lambda msg, cat, *a, **k: print(f"aidlab: warning: {msg}", file=sys.stderr)
        try:
            return args.func(args)
        except AidlabError as exc:
            print(f"aidlab: error: {exc}", file=sys.stderr)
            return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
