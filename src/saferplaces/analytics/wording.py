"""Board words for notes that come from the engine: crimes not rows, no section or issue numbers.

``crimestats`` writes its notes for analysts and cites the methods reference by section; a board
member reads "1,234 crimes", not "1,234 rows", and the citations stay in the method details.
"""

from __future__ import annotations

import re

_CITATION = re.compile(r"\s*\((?:methods reference |see )?§[\d.]+(?:(?:, | and )§?[\d.]+)*\)")
_ISSUE = re.compile(r"\s*\(issue #[\d.]+\)")


def plain(text: str) -> str:
    """``text`` without citations, and with crimes for rows.

    >>> plain("1,234 rows, under 20 % of the median (§1.5)")
    '1,234 crimes, under 20 % of the median'
    >>> plain("belong to neither (issue #11.8)")
    'belong to neither'
    """
    text = _ISSUE.sub("", _CITATION.sub("", text))
    text = re.sub(r"\brows\b", "crimes", text)
    return re.sub(r"\brow\b", "crime", text)
