"""The board pack for a meeting: plan summary, RAG table, exceptions, decisions, headlines.

Built by the task worker (:func:`saferplaces.indicators.tasks.board_pack_build`) and kept per
meeting: the HTML fragment (shown inside the staff page) and the PDF bytes as they were made.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from saferplaces.audit.services import audit_record
from saferplaces.indicators import present, rag, selectors
from saferplaces.indicators.models import BoardPack, Meeting, MeetingItem
from saferplaces_reports.pdf import html_to_pdf

logger = logging.getLogger("saferplaces.indicators")
PRINT_CSS = Path(__file__).with_name("print.css")
NOT_PREPARED = (
    "The dashboard headlines were not prepared when this pack was made (they are computed "
    "after each data import); see the dashboard for the latest figures."
)


def _headlines(partnership: Any) -> dict[str, Any]:
    """The staff home's tested changes, read from the cache only (never computed here)."""
    from saferplaces.analytics.home import home_cache_key

    figures = cache.get(home_cache_key(partnership))
    if not isinstance(figures, dict) or figures.get("state") != "ready":
        return {"prepared": False, "text": NOT_PREPARED, "changes": []}
    month = figures.get("month")
    return {
        "prepared": True,
        "span": figures.get("span", ""),
        "month": month.strftime("%B %Y") if month else "",
        "changes": figures.get("changes", []),
        "alerts": figures.get("alerts", []),
    }


def plan_summary(plan: Any) -> dict[str, Any]:
    if plan is None:
        return {"plan": None, "priorities": []}
    priorities = []
    statuses: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    for priority in plan.priorities.order_by("order", "title").select_related(
        "lead_organisation", "lead_officer"
    ):
        actions = list(priority.actions.all())
        statuses.update(a.get_status_display() for a in actions)
        levels.update(a.get_intervention_level_display() for a in actions)
        priorities.append(
            {
                "title": priority.title,
                "lead": priority.lead_organisation.name
                if priority.lead_organisation
                else "No lead",
                "actions": len(actions),
                "complete": sum(1 for a in actions if a.status == "complete"),
            }
        )
    return {
        "plan": plan,
        "priorities": priorities,
        "statuses": sorted(statuses.items()),
        "levels": sorted(levels.items()),
    }


def _rag_rows(plan: Any, partnership: Any) -> list[dict[str, Any]]:
    rows = []
    for indicator in selectors.indicator_list(partnership=partnership, plan=plan):
        values = selectors.indicator_values(indicator=indicator)
        latest = present.latest_value(values)
        rows.append(
            {
                "indicator": indicator,
                "priority": indicator.priority.title if indicator.priority else "",
                "period": present.period_text(indicator, latest),
                "value": present.value_text(indicator, latest),
                "interval": present.interval_text(indicator, latest),
                "target": present.target_text(indicator),
                "rag": present.rag_summary(indicator),
                "chart": present.chart(indicator, values, width=7.0)
                if sum(1 for v in values if not v.no_data) >= 2
                else None,
            }
        )
    return rows


def board_pack_context(meeting: Meeting, *, now: Any = None) -> dict[str, Any]:
    partnership = meeting.partnership
    plan = meeting.plan or selectors.plan_current(partnership=partnership)
    exceptions = [
        e
        for e in selectors.exception_list(partnership=partnership)
        if e.indicator is None or e.indicator.plan_id == getattr(plan, "pk", None)
    ]
    items = list(meeting.items.all())
    return {
        "meeting": meeting,
        "partnership": partnership,
        "summary": plan_summary(plan),
        "rag_rows": _rag_rows(plan, partnership) if plan is not None else [],
        "exceptions": exceptions,
        "decisions_needed": [i for i in items if i.kind == MeetingItem.Kind.DECISION_NEEDED],
        "decisions": [i for i in items if i.kind == MeetingItem.Kind.DECISION],
        "actions_arising": [i for i in items if i.kind == MeetingItem.Kind.ACTION],
        "headlines": _headlines(partnership),
        "rule": rag.RULE,
        "made_at": now or timezone.now(),
    }


def board_pack_html(meeting: Meeting, *, now: Any = None) -> str:
    """The pack's body (no page chrome): shown inside the staff page and printed to PDF."""
    return render_to_string("indicators/board_pack_body.html", board_pack_context(meeting, now=now))


def board_pack_pdf(meeting: Meeting, body: str) -> bytes:
    document = render_to_string(
        "indicators/board_pack_print.html", {"meeting": meeting, "body": body}
    )
    return html_to_pdf(document, extra_css=PRINT_CSS.read_text(encoding="utf-8"))


def board_pack_build_run(*, pack_id: str) -> str:
    """Make one queued pack now (the task body; the demo command calls it directly)."""
    pack = BoardPack.objects.filter(pk=pack_id).select_related("meeting").first()
    if pack is None or pack.status != BoardPack.Status.QUEUED:
        return "skipped"
    meeting = pack.meeting
    try:
        body = board_pack_html(meeting)
        pdf = board_pack_pdf(meeting, body)
    except Exception as error:  # noqa: BLE001 - the pack must say it failed, not stay queued
        logger.exception("Board pack %s failed", pack_id)
        with transaction.atomic():
            pack.status = BoardPack.Status.FAILED
            pack.error_message = (
                f"The board pack could not be made ({type(error).__name__}). Try again; if it "
                "happens again, tell the person who runs SaferPlaces."
            )
            pack.save(update_fields=["status", "error_message", "updated_at"])
        return "failed"
    with transaction.atomic():
        pack.html = body
        pack.pdf = pdf
        pack.status = BoardPack.Status.READY
        pack.generated_at = timezone.now()
        pack.save(update_fields=["html", "pdf", "status", "generated_at", "updated_at"])
        audit_record(
            actor=None,
            verb="board_pack.generated",
            target=pack,
            partnership=meeting.partnership,
            summary={"meeting": meeting.title, "bytes": len(pdf)},
        )
    return "ready"
