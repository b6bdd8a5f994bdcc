"""File output: a file is either its old self or its complete new self, never half-written, and an
output never lands on the evidence it was derived from.

- `atomic_path` is the one writer. A regular file (or a new path) is written to a temporary file
  beside it and moved over it when complete. Anything else that sits at the path is never replaced:
  a character device (`/dev/null`, a terminal) or a FIFO is written into directly (streamed), and a
  symbolic link is written *through*: its target gets the atomic treatment, the link stays a link.
  A folder at the path, an unwritable folder or a parent that cannot be created raises OutputError
  (one line naming the path), never a traceback.
- `guard_output` refuses an output path that is an input page, a manifest, or any path inside an
  input corpus folder (symlinks and relative paths resolved), so no command can overwrite evidence.
"""
from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from .errors import OutputError

#: The manifest's file name; an output may never be called that (it would pass for a corpus manifest).
MANIFEST_NAME = "manifest.csv"


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _write_target(path: Path) -> tuple[Path, bool]:
    """(where the bytes go, whether that place is streamed into instead of replaced atomically)."""
    target = path
    if target.is_symlink():
        target = Path(os.path.realpath(target))  # write through the link, never replace the link itself
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target, False
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({_reason(exc)})") from exc
    if stat.S_ISDIR(mode):
        raise OutputError(f"{path}: is a folder, not a file; give a file name for the output")
    if stat.S_ISREG(mode):
        return target, False
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return target, True
    raise OutputError(f"{path}: is neither a regular file, a device nor a FIFO (socket or block device); refusing to write")


def is_streamed(path: str | os.PathLike) -> bool:
    """True when `atomic_path` would write into `path` directly (a device or FIFO, after following a link)."""
    try:
        return _write_target(Path(path))[1]
    except OutputError:
        return False  # a folder or a socket: the writer names the problem when it is asked to write


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str = "", *, make_parents: bool = True) -> Iterator[Path]:
    """Yield the path to write to; on success the output is complete at `path`, on error nothing changed.

    Regular files and new paths: a temporary file beside the target, moved over it at the end (the
    target's permission bits are kept; new files get 0644). Devices and FIFOs: the path itself,
    written into directly. Symlinks: the same rules applied to the link's target; the link stays.
    `make_parents=False` refuses a missing parent folder instead of creating it.
    """
    requested = Path(path)
    target, streamed = _write_target(requested)
    if streamed:
        yield target
        return
    parent = target.parent
    if not parent.is_dir():
        if parent.exists():
            raise OutputError(f"{requested}: {parent} is not a folder")
        if not make_parents:
            raise OutputError(f"{requested}: folder {parent} does not exist")
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{requested}: cannot create folder {parent} ({_reason(exc)})") from exc
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix or ".tmp", dir=parent)
    except OSError as exc:
        raise OutputError(f"{requested}: cannot write into folder {parent} ({_reason(exc)})") from exc
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp_path, mode)
        os.replace(tmp_path, target)
    except OSError as exc:
        tmp_path.unlink(missing_ok=True)
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EISDIR, errno.ENOTDIR):
            raise OutputError(f"{requested}: cannot be written ({_reason(exc)})") from exc
        raise
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 text atomically (newline characters kept as given)."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    return Path(path)


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write bytes atomically."""
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
    return Path(path)


def check_output(out: str | os.PathLike | None, kind: Literal["file", "folder"] = "file", option: str = "--out") -> None:
    """Refuse (OutputError, one line) an output that cannot be written, before any work is done.

    A file output needs an existing parent folder and must not be a folder; a folder output must not
    be a file and needs an existing parent (the folder itself is created). '-' and None pass.
    """
    if out is None or str(out) == "-":
        return
    path = Path(out)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    parent = Path(os.path.abspath(target)).parent
    if kind == "file":
        if target.is_dir():
            raise OutputError(f"{option} {out}: is a folder, not a file; give a file name for the output")
    elif target.exists() and not target.is_dir():
        raise OutputError(f"{option} {out}: exists and is not a folder")
    if not parent.is_dir():
        what = "is not a folder" if parent.exists() else "does not exist"
        raise OutputError(f"{option} {out}: folder {parent} {what}")
    if kind == "file":
        streamed = target.exists() and not target.is_file()  # a device or FIFO is written into, not replaced
        where = None if streamed else parent
    else:
        where = target if target.is_dir() else parent
    if where is not None and not os.access(where, os.W_OK | os.X_OK):
        raise OutputError(f"{option} {out}: folder {where} is not writable")


def _resolved(path: str | os.PathLike) -> Path:
    return Path(os.path.realpath(os.path.abspath(path)))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def guard_output(out: str | os.PathLike | None, inputs: Iterable[str | os.PathLike],
                 kind: Literal["file", "folder"] = "file", option: str = "--out") -> None:
    """Refuse (OutputError naming both paths) an output that would overwrite or sit among the evidence.

    Refused: an output that is an input page; any output named manifest.csv; any output inside an
    input folder, or inside the folder of an input page that holds a manifest (a corpus folder); for
    an output *folder* (`kind="folder"`), also one that contains an input. Paths are compared after
    resolving symbolic links and relative parts. '-' (stdout) and None are always allowed.
    """
    if out is None or str(out) == "-":
        return
    out_path = _resolved(out)
    for given in inputs:
        src = _resolved(given)
        folder: Path | None
        if src.is_dir():
            folder = src
        else:
            if out_path == src:
                raise OutputError(f"{option} {out} is the input page {given}: outputs must never overwrite evidence")
            folder = src.parent if (src.parent / MANIFEST_NAME).exists() else None
            if folder is None:
                if kind == "folder" and src.is_relative_to(out_path):
                    raise OutputError(f"{option} {out} contains the input page {given}: choose an output folder outside it")
                continue
        if _inside(out_path, folder):
            if out_path.parent == folder and out_path.name == MANIFEST_NAME:
                what = f"is the manifest of the input corpus folder {folder}"
            elif out_path.parent == folder and out_path.is_file():
                what = f"is a page of the input corpus folder {folder}"
            else:
                what = f"is inside the input corpus folder {folder}"
            raise OutputError(f"{option} {out} {what} (input {given}): outputs must never overwrite or sit among the evidence")
        if kind == "folder" and folder.is_relative_to(out_path):
            raise OutputError(f"{option} {out} contains the input corpus folder {given}: choose an output folder outside it")
    if out_path.name == MANIFEST_NAME and kind == "file":
        raise OutputError(f"{option} {out}: the name {MANIFEST_NAME} is reserved for corpus manifests; choose another name")
