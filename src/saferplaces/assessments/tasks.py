"""Background work: drafting an assessment from the engine takes seconds to a minute, so it runs
in the task worker (``manage.py db_worker``) and the status page follows its progress."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from saferplaces.assessments import services

logger = logging.getLogger("saferplaces.assessments")

NO_DATA_FOLDER = (
    "No crime data has been loaded into the data folder ({folder}). Ask the person who runs "
    "SaferPlaces to load it, then start the draft again."
)
UNEXPECTED = (
    "The build stopped because of an error in SaferPlaces ({kind}). Nothing was saved. "
    "Try again; if it happens again, tell the person who runs SaferPlaces."
)


def _sentence(message: str) -> str:
    message = message.strip()
    if not message:
        return message
    message = message[:1].upper() + message[1:]
    return message if message.endswith(".") else message + "."


def assessment_build_run(*, assessment_id: str, data_dir: Path | None = None) -> str:
    """Build one queued assessment now (the task body; also called by the demo command).

    Returns the status it ends in. A refusal of the engine (no data for the period, an
    unknown area) or any other error leaves the row ``failed`` with a message a person can act
    on; a half-built document is never stored.
    """
    from crimestats.store import Store
    from saferplaces_reports.assessment import AssessmentOptions, NoDataError, build_assessment

    assessment = services.assessment_build_start(assessment_id=assessment_id)
    if assessment is None:
        return "skipped"
    folder = Path(data_dir or settings.DATA_DIR)

    def progress(step: str, fraction: float) -> None:
        services.assessment_progress_set(
            assessment_id=assessment_id, percent=round(fraction * 100), message=step
        )

    try:
        store = Store(folder)
        if not folder.is_dir() or not store.geography_loaded():
            raise NoDataError(NO_DATA_FOLDER.format(folder=folder))
        options = AssessmentOptions.from_dict(assessment.options)
        document = build_assessment(store, options, progress=progress, now=timezone.now())
    except ValueError as error:  # NoDataError too: the engine's one-line refusals
        services.assessment_build_fail(assessment_id=assessment_id, message=_sentence(str(error)))
        return "failed"
    except Exception as error:  # noqa: BLE001 - whatever went wrong, the row must say so
        logger.exception("Assessment build %s failed", assessment_id)
        services.assessment_build_fail(
            assessment_id=assessment_id, message=UNEXPECTED.format(kind=type(error).__name__)
        )
        return "failed"
    services.assessment_build_finish(assessment_id=assessment_id, document=document.to_dict())
    return "draft"


@task()
def assessment_build(*, assessment_id: str) -> str:
    """Draft the assessment ``assessment_id`` from the crime data in ``settings.DATA_DIR``."""
    return assessment_build_run(assessment_id=assessment_id)
