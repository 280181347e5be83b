"""Outcome groups and the positive outcome share (methods reference §7).

The measures layer counts crimes by ``Last outcome category`` (ASB excluded, non-blank Crime ID)
and passes the counts here; :data:`OUTCOME_GROUPS` can also be turned into a SQL ``CASE``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scipy import stats

from crimestats.methods._common import ResultMixin

__all__ = [
    "GLOSSARY_NOT_GUILTY",
    "GROUP_NAMES",
    "OUTCOME_GROUPS",
    "POSITIVE_GROUPS",
    "OutcomeShareResult",
    "clopper_pearson",
    "outcome_group",
    "outcome_shares",
]

_GROUP_VALUES: dict[str, tuple[str, ...]] = {
    "charged_or_court": (
        "Suspect charged",
        "Awaiting court outcome",
        "Suspect charged as part of another case",
        "Defendant sent to Crown Court",
        "Offender sent to prison",
        "Offender given suspended prison sentence",
        "Offender given community sentence",
        "Offender fined",
        "Offender given conditional discharge",
        "Offender given absolute discharge",
        "Offender ordered to pay compensation",
        "Offender deprived of property",
        "Offender otherwise dealt with",
        "Defendant found not guilty",
        "Court case unable to proceed",
        "Court result unavailable",
    ),
    "out_of_court": (
        "Offender given a caution",
        "Offender given a drugs possession warning",
        "Offender given penalty notice",
        "Local resolution",
    ),
    "evidential_difficulties": ("Unable to prosecute suspect",),
    "not_in_public_interest": (
        "Formal action is not in the public interest",
        "Further action is not in the public interest",
        "Further investigation is not in the public interest",
    ),
    "other_agency": ("Action to be taken by another organisation",),
    "no_suspect": ("Investigation complete; no suspect identified",),
    "under_investigation": ("Under investigation", "Status update unavailable"),
}
#: police.uk ``Last outcome category`` → SaferPlaces group (§7.1); blank → under_investigation.
OUTCOME_GROUPS: dict[str, str] = {
    value: group for group, values in _GROUP_VALUES.items() for value in values
}
GROUP_NAMES: tuple[str, ...] = (*_GROUP_VALUES, "unknown")
POSITIVE_GROUPS = ("charged_or_court", "out_of_court")
#: Group of outcome strings not in §7.1: reported, counted as crimes, never as finalised.
UNMAPPED = "unknown"
NOT_FINALISED_GROUPS = ("under_investigation", UNMAPPED)
GLOSSARY_NOT_GUILTY = (
    "'Defendant found not guilty' counts as a positive outcome here because it is a charge "
    "outcome: the police action was a charge."
)
FINALISED_LABEL = "among crimes with a final outcome"
AGE_NOTE = (
    "Outcomes accrue over time: compare periods only at the same age (e.g. outcome status six "
    "months after the end of each period); otherwise recent periods look worse."
)


def outcome_group(value: str | None) -> str:
    """Group of one ``Last outcome category``: blank → under_investigation, unknown → unknown.

    Examples
    --------
    >>> outcome_group("Local resolution"), outcome_group(""), outcome_group("Something new")
    ('out_of_court', 'under_investigation', 'unknown')
    """
    if value is None or not value.strip():
        return "under_investigation"
    return OUTCOME_GROUPS.get(value.strip(), UNMAPPED)


def clopper_pearson(k: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Clopper–Pearson exact interval for a proportion ``k/n``.

    Equal to ``statsmodels.stats.proportion.proportion_confint(k, n, method="beta")``.

    Examples
    --------
    >>> [round(v, 7) for v in clopper_pearson(45, 75)]
    [0.4803705, 0.7114808]
    """
    if n <= 0 or not 0 <= k <= n:
        raise ValueError("need 0 <= k <= n and n > 0")
    lower = 0.0 if k == 0 else float(stats.beta.ppf(alpha / 2, k, n - k + 1))
    upper = 1.0 if k == n else float(stats.beta.ppf(1 - alpha / 2, k + 1, n - k))
    return lower, upper


@dataclass(frozen=True, slots=True)
class OutcomeShareResult(ResultMixin):
    """Outcome groups and positive outcome shares (§7.2).

    Attributes
    ----------
    group_counts : dict of str to int
        Crimes per group (every group in :data:`GROUP_NAMES`, zeros included).
    unmapped : dict of str to int
        Outcome strings not in §7.1 (group ``unknown``), with counts; reported, never dropped,
        and never counted as finalised.
    total : int
        All crimes given (denominator of ``share``).
    positive : int
        ``charged_or_court`` + ``out_of_court``.
    share, lower, upper : float or None
        Positive share of all crimes with Clopper–Pearson interval.
    finalised : int
        Crimes with a known final outcome: not under investigation and not an unknown string
        (an outcome we cannot read is not known to be final).
    share_finalised, lower_finalised, upper_finalised : float or None
        Positive share "among crimes with a final outcome".
    finalised_label : str
    notes : tuple of str
        Glossary note on "Defendant found not guilty" and the outcome-age note.
    reason : str or None
    alpha : float
    method : str
    """

    group_counts: dict[str, int]
    unmapped: dict[str, int]
    total: int
    positive: int
    share: float | None
    lower: float | None
    upper: float | None
    finalised: int
    share_finalised: float | None
    lower_finalised: float | None
    upper_finalised: float | None
    finalised_label: str
    notes: tuple[str, ...]
    reason: str | None
    alpha: float
    method: str = (
        "positive outcome share with Clopper-Pearson exact interval (= statsmodels "
        "proportion_confint method='beta') (methods reference §7.2)"
    )


def outcome_shares(
    counts_by_outcome: Mapping[str | None, int], alpha: float = 0.05
) -> OutcomeShareResult:
    """Positive outcome share from crime counts by ``Last outcome category`` (§7).

    Parameters
    ----------
    counts_by_outcome : mapping of str or None to int
        Crimes (ASB excluded, non-blank Crime ID) per outcome string; ``None`` or ``""`` is a
        blank outcome (under investigation).
    alpha : float, default 0.05

    Returns
    -------
    OutcomeShareResult
        Unknown strings count in the all-crimes denominator (they are crimes) and are listed,
        but not among the finalised: whether their outcome is final is not known.

    Examples
    --------
    >>> r = outcome_shares({"Suspect charged": 10, "Local resolution": 5,
    ...                     "Investigation complete; no suspect identified": 60, None: 25})
    >>> r.positive, r.total, r.share, r.finalised, r.share_finalised
    (15, 100, 0.15, 75, 0.2)
    """
    groups = dict.fromkeys(GROUP_NAMES, 0)
    unmapped: dict[str, int] = {}
    for value, count in counts_by_outcome.items():
        if count < 0:
            raise ValueError("counts must be non-negative")
        group = outcome_group(value)
        groups[group] += int(count)
        if group == UNMAPPED:
            unmapped[str(value)] = unmapped.get(str(value), 0) + int(count)
    total = sum(groups.values())
    positive = sum(groups[g] for g in POSITIVE_GROUPS)
    finalised = total - sum(groups[g] for g in NOT_FINALISED_GROUPS)
    notes: tuple[str, ...] = (GLOSSARY_NOT_GUILTY, AGE_NOTE)
    if unmapped:
        unknown = sum(unmapped.values())
        notes += (
            f"{unknown:,} crime{'s' if unknown != 1 else ''} with an outcome not in the grouping "
            f"({', '.join(sorted(unmapped))}): counted as crimes, not as finalised",
        )
    share = lower = upper = None
    share_f = lower_f = upper_f = None
    if total:
        share = positive / total
        lower, upper = clopper_pearson(positive, total, alpha)
    if finalised:
        share_f = positive / finalised
        lower_f, upper_f = clopper_pearson(positive, finalised, alpha)
    return OutcomeShareResult(
        groups, unmapped, total, positive, share, lower, upper, finalised, share_f, lower_f,
        upper_f, FINALISED_LABEL, notes, None if total else "no crimes", alpha,
    )  # fmt: skip
