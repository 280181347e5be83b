"""The error raised when a whole input file cannot be imported."""

from __future__ import annotations


class InputFileError(Exception):
    """A police.uk input file that cannot be imported at all (fatal for that file).

    Parameters
    ----------
    file : str
        The file as the user knows it (path, or ``archive.zip › member``).
    line : int | None
        Physical line number (header = line 1), or ``None`` when the problem is the whole file.
    reason : str
        Plain-English reason, naming what was expected and what was found.

    Examples
    --------
    >>> str(InputFileError("a.csv", 1, "wrong header"))
    'a.csv: line 1: wrong header'
    """

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file = file
        self.line = line
        self.reason = reason
        where = f"{file}: line {line}" if line is not None else file
        super().__init__(f"{where}: {reason}")
