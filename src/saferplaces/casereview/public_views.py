"""The resident's side: ask for a case review (one question per page), appeal, the figures."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from saferplaces.accounts.models import Partnership
from saferplaces.accounts.selectors import partnership_list_public
from saferplaces.casereview import forms as cr_forms
from saferplaces.casereview import selectors, services
from saferplaces.casereview.models import ApplicantKind, CaseReview
from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.forms_govuk import posted
from saferplaces.core.public_forms import public_form_rate_limit

SESSION = "casereview_request"
SENT = "casereview_sent"
GET_POST = ["GET", "POST", "HEAD"]

# (slug, form, page heading); "area" is asked only when the site serves several partnerships.
STEPS: list[tuple[str, type[forms.Form], str]] = [
    ("area", cr_forms.AreaForm, "Which area is the problem in?"),
    ("who", cr_forms.WhoForm, "Who is asking for the case review?"),
    ("problem", cr_forms.ProblemForm, "What is the problem?"),
    ("where", cr_forms.WhereForm, "Where is it happening?"),
    ("site-reports", cr_forms.SiteReportsForm, "Have you reported it on this website?"),
    ("other-reports", cr_forms.DeclaredReportForm, "Reports to other organisations"),
    ("contact", cr_forms.ContactForm, "How can we contact you?"),
]


def _partnerships() -> list[Partnership]:
    return list(partnership_list_public())


def _steps() -> list[str]:
    slugs = [slug for slug, _form, _title in STEPS]
    return slugs if len(_partnerships()) > 1 else slugs[1:]


def _state(request: HttpRequest) -> dict[str, Any]:
    state = request.session.get(SESSION)
    if not isinstance(state, dict):
        state = {"key": str(uuid.uuid4()), "answers": {}, "declared": []}
        request.session[SESSION] = state
    return state


def _save(request: HttpRequest, state: dict[str, Any]) -> None:
    request.session[SESSION] = state
    request.session.modified = True


def _partnership(state: dict[str, Any]) -> Partnership | None:
    partnerships = _partnerships()
    if len(partnerships) == 1:
        return partnerships[0]
    chosen = state["answers"].get("partnership")
    return next((p for p in partnerships if str(p.pk) == chosen), None)


def _next(slug: str) -> str:
    steps = _steps()
    index = steps.index(slug)
    if index + 1 < len(steps):
        return reverse("casereview_public:step", kwargs={"step": steps[index + 1]})
    return reverse("casereview_public:check")


def _previous(slug: str) -> str:
    steps = _steps()
    index = steps.index(slug)
    if index == 0:
        return reverse("casereview_public:start")
    return reverse("casereview_public:step", kwargs={"step": steps[index - 1]})


@require_safe
def start_view(request: HttpRequest) -> HttpResponse:
    partnerships = _partnerships()
    settings_list = [(p, selectors.settings_get(partnership=p)) for p in partnerships]
    return render(
        request,
        "casereview/public_start.html",
        {
            "settings_list": settings_list,
            "first_step": reverse("casereview_public:step", kwargs={"step": _steps()[0]}),
        },
    )


def _platform_count(partnership: Partnership | None, answers: dict[str, Any]) -> int:
    """Reports found by the reference numbers typed (never by e-mail address: see forms)."""
    if partnership is None:
        return 0
    settings_ = selectors.settings_get(partnership=partnership)
    return len(
        services.platform_reports_for(
            partnership=partnership,
            email="",
            references=answers.get("site_references", []),
            on=timezone.localdate(),
            months=settings_.window_months,
        )
    )


@public_form_rate_limit("casereview")
@require_http_methods(GET_POST)
def step_view(request: HttpRequest, step: str) -> HttpResponse:
    steps = _steps()
    if step not in steps:
        raise Http404("No such question")
    slug, form_class, title = next(s for s in STEPS if s[0] == step)
    state = _state(request)
    answers = state["answers"]
    partnership = _partnership(state)
    if step != "area" and partnership is None:
        return redirect("casereview_public:step", step="area")
    if step == "other-reports":
        return _other_reports(request, state, partnership)
    kwargs: dict[str, Any] = {}
    if step == "area":
        kwargs["partnerships"] = _partnerships()
    initial = {k: answers.get(k) for k in form_class.base_fields}
    if step == "site-reports" and "search_by_email" not in answers:
        initial["search_by_email"] = True
    if step == "site-reports":
        initial["site_references"] = ", ".join(answers.get("site_references", []))
    form = form_class(posted(request), initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        for name, value in form.cleaned_data.items():
            answers[name] = value
        _save(request, state)
        if request.GET.get("change") and step != "site-reports":
            return redirect("casereview_public:check")
        return redirect(_next(step))
    return render(
        request,
        "casereview/public_question.html",
        {
            "form": form,
            "title": title,
            "step": step,
            "back": _previous(step),
            "page_has_errors": form.is_bound and bool(form.errors),
            "partnership": partnership,
        },
    )


def _other_reports(
    request: HttpRequest, state: dict[str, Any], partnership: Partnership | None
) -> HttpResponse:
    declared: list[dict[str, str]] = state["declared"]
    platform_count = _platform_count(partnership, state["answers"])
    form = cr_forms.DeclaredReportForm(posted(request))
    no_reports_error = ""
    if request.method == "POST":
        if "remove" in request.POST:
            index = request.POST.get("remove", "")
            if index.isdigit() and int(index) < len(declared):
                declared.pop(int(index))
                _save(request, state)
            return redirect("casereview_public:step", step="other-reports")
        adding = any((request.POST.get(f) or "").strip() for f in ("agency", "day", "reference"))
        if adding or "add" in request.POST:
            if form.is_valid():
                declared.append(
                    {
                        "agency": form.cleaned_data["agency"],
                        "reported_on": form.cleaned_data["reported_on"].isoformat(),
                        "reference": form.cleaned_data["reference"],
                    }
                )
                _save(request, state)
                if "add" in request.POST:
                    return redirect("casereview_public:step", step="other-reports")
            else:
                return _other_page(request, form, declared, platform_count, "")
        by_email = bool(state["answers"].get("search_by_email"))
        if not declared and not platform_count and not by_email:
            no_reports_error = services.NO_REPORTS
        else:
            return redirect(_next("other-reports"))
    form = cr_forms.DeclaredReportForm()
    return _other_page(request, form, declared, platform_count, no_reports_error)


def _other_page(
    request: HttpRequest,
    form: forms.Form,
    declared: list[dict[str, str]],
    platform_count: int,
    no_reports_error: str,
) -> HttpResponse:
    has_errors = bool(no_reports_error) or (form.is_bound and bool(form.errors))
    return render(
        request,
        "casereview/public_other_reports.html",
        {
            "form": form,
            "declared": [
                {**d, "reported_on": date.fromisoformat(d["reported_on"])} for d in declared
            ],
            "platform_count": platform_count,
            "by_email": bool(
                request.session.get(SESSION, {}).get("answers", {}).get("search_by_email")
            ),
            "no_reports_error": no_reports_error,
            "back": _previous("other-reports"),
            "page_has_errors": has_errors,
        },
        status=400 if has_errors else 200,
    )


def _request_from(state: dict[str, Any]) -> services.CaseReviewRequest:
    a = state["answers"]
    return services.CaseReviewRequest(
        applicant_kind=a.get("applicant_kind", ""),
        victim_name=a.get("victim_name", "") if a.get("applicant_kind") == "on_behalf" else "",
        problem=a.get("problem", ""),
        place=a.get("place", ""),
        postcode=a.get("postcode", ""),
        applicant_name=a.get("applicant_name", ""),
        email=a.get("email", ""),
        phone=a.get("phone", ""),
        site_email=a.get("email", "") if a.get("search_by_email") else "",
        site_references=tuple(a.get("site_references", [])),
        declared=tuple(
            services.DeclaredReportInput(
                d["agency"], date.fromisoformat(d["reported_on"]), d.get("reference", "")
            )
            for d in state["declared"]
        ),
    )


def _missing_step(state: dict[str, Any]) -> str | None:
    a = state["answers"]
    needed = {"who": "applicant_kind", "problem": "problem", "where": "place",
              "contact": "email"}  # fmt: skip
    for step in _steps():
        if step in needed and not a.get(needed[step]):
            return step
    return None


@public_form_rate_limit("casereview")
@require_http_methods(GET_POST)
def check_view(request: HttpRequest) -> HttpResponse:
    form = cr_forms.CheckForm(posted(request))
    if request.method == "POST" and form.is_valid():
        # A second click after the first was stored: show the first one's confirmation.
        existing = CaseReview.objects.filter(submission_key=form.key()).first()
        if existing is not None:
            return _sent(request, existing)
        if form.honeypot_filled():
            request.session.pop(SESSION, None)
            request.session[SENT] = {"reference": "", "decision_due": ""}
            return redirect("casereview_public:sent")
    state = _state(request)
    partnership = _partnership(state)
    missing = _missing_step(state) if partnership else "area"
    if missing:
        return redirect("casereview_public:step", step=missing)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            case_review, _created = services.case_review_submit(
                partnership=partnership, request=_request_from(state), key=form.key()
            )
        except ApplicationError as refusal:
            error = refusal.message
        else:
            return _sent(request, case_review)
    if not form.is_bound:
        form = cr_forms.CheckForm(initial={"submission_key": state["key"]})
    answers = state["answers"]
    return render(
        request,
        "casereview/public_check.html",
        {
            "form": form,
            "answers": answers,
            "who": dict(ApplicantKind.choices).get(answers.get("applicant_kind", ""), ""),
            "declared": [
                {**d, "reported_on": date.fromisoformat(d["reported_on"])}
                for d in state["declared"]
            ],
            "platform_count": _platform_count(partnership, answers),
            "by_email": bool(answers.get("search_by_email")),
            "partnership": partnership,
            "several_areas": len(_partnerships()) > 1,
            "error": error,
            "page_has_errors": bool(error),
        },
        status=400 if error else 200,
    )


def _sent(request: HttpRequest, case_review: CaseReview) -> HttpResponse:
    request.session.pop(SESSION, None)
    request.session[SENT] = {
        "reference": case_review.reference,
        "decision_due": case_review.decision_due.isoformat(),
        "email": case_review.email,
    }
    return redirect("casereview_public:sent")


@require_safe
def sent_view(request: HttpRequest) -> HttpResponse:
    sent = request.session.get(SENT)
    if not sent:
        return redirect("casereview_public:start")
    due = date.fromisoformat(sent["decision_due"]) if sent.get("decision_due") else None
    return render(
        request,
        "casereview/public_sent.html",
        {"reference": sent.get("reference", ""), "decision_due": due},
    )


@public_form_rate_limit("casereview")
@require_http_methods(GET_POST)
def appeal_view(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    case_review = CaseReview.objects.filter(appeal_token=token).first()
    if case_review is None or case_review.outcome_sent_on is None:
        raise Http404("No such case review")
    form = cr_forms.AppealForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if form.honeypot_filled():
            return render(request, "casereview/public_appeal_sent.html", {})
        try:
            services.case_review_appeal(token=token, reason=form.cleaned_data["reason"])
        except ApplicationError as refusal:
            refusal.add_to(form, "reason")
        else:
            return render(
                request, "casereview/public_appeal_sent.html", {"case_review": case_review}
            )
    return render(
        request,
        "casereview/public_appeal.html",
        {
            "form": form,
            "case_review": case_review,
            "too_late": bool(
                case_review.appeal_due and timezone.localdate() > case_review.appeal_due
            ),
            "already": case_review.appealed_on is not None,
            "page_has_errors": form.is_bound and bool(form.errors),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _figures_partnerships(request: HttpRequest) -> list[Partnership]:
    partnerships = _partnerships()
    chosen = request.GET.get("area")
    if chosen:
        partnerships = [p for p in partnerships if str(p.pk) == chosen]
    return partnerships


@require_safe
def figures_view(request: HttpRequest) -> HttpResponse:
    blocks = [
        {
            "partnership": p,
            "years": selectors.figures_by_year(partnership=p),
            "demonstration": selectors.has_demonstration_records(partnership=p),
        }
        for p in _figures_partnerships(request)
    ]
    return render(
        request,
        "casereview/public_figures.html",
        {"blocks": blocks, "notes": selectors.FIGURE_NOTES},
    )


@require_safe
def figures_csv_view(request: HttpRequest) -> HttpResponse:
    from saferplaces_reports.tables import Table, csv_download

    rows = []
    for p in _figures_partnerships(request):
        for y in selectors.figures_by_year(partnership=p):
            rows.append((p.name, y.label, y.applications, y.threshold_not_met, y.reviews,
                         y.reviews_with_recommendations))  # fmt: skip
    table = Table(
        key="asb-case-review-figures",
        title="ASB case reviews by financial year (April to March)",
        columns=(
            "Partnership",
            "Financial year",
            "Applications",
            "Threshold not met",
            "Reviews carried out",
            "Reviews that led to recommendations",
        ),
        rows=tuple(rows),
        notes=(
            "Published under the Anti-social Behaviour, Crime and Policing Act 2014, s.104(11).",
            *[f"{selectors.FIGURE_NAMES[k]}: {v}" for k, v in selectors.FIGURE_NOTES.items()],
            "Years are financial years, 1 April to 31 March.",
        ),
    )
    response = HttpResponse(csv_download(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="asb-case-review-figures.csv"'
    return response
