"""Errors aidlab raises: each names the file (or document) and the problem, so a researcher can act on it."""
from __future__ import annotations


class AidlabError(Exception):
    """Base class of every error aidlab raises on purpose."""


class LoadError(AidlabError):
    """A document could not be read as text (empty, binary, undecodable, unreadable)."""


class SeedIntegrityError(AidlabError):
    """A seed file no longer matches the checksum recorded in its manifest (evidence was altered)."""


class ManifestError(AidlabError):
    """The manifest is missing, malformed or disagrees with the folder it describes."""


class OutputError(AidlabError):
    """An output cannot be written where it was asked for (evidence in the way, a folder, no permission)."""


class NotebookRunError(AidlabError):
    """A numbered notebook failed while running; the message names the notebook and the cell."""


class LoadWarning(UserWarning):
    """A document was kept but flagged unusable (see the `problem` column)."""
