from datetime import date

from saferplaces.casereview.threshold import (
    CountedReport,
    add_days,
    days_left,
    financial_year,
    threshold_check,
    window_start,
)

ON = date(2026, 3, 31)


def test_window_is_six_calendar_months_inclusive() -> None:
    assert window_start(ON, 6) == date(2025, 9, 30)


def test_report_on_the_first_day_of_the_window_counts_the_day_before_does_not() -> None:
    reports = [
        CountedReport("Police", date(2025, 9, 30)),
        CountedReport("Council", date(2025, 9, 29)),
    ]
    result = threshold_check(reports=reports, on=ON, months=6, needed=3)
    assert [r.source for r in result.counted] == ["Police"]
    assert [r.source for r in result.outside_window] == ["Council"]


def test_platform_and_declared_reports_add_up_to_the_threshold() -> None:
    reports = [
        CountedReport("This website", date(2026, 1, 5), "C-2026-00001"),
        CountedReport("This website", date(2026, 2, 5), "C-2026-00002"),
        CountedReport("Police", date(2026, 3, 1), "LP-123"),
    ]
    result = threshold_check(reports=reports, on=ON, months=6, needed=3)
    assert result.count == 3
    assert result.met


def test_the_same_reference_is_counted_once() -> None:
    reports = [
        CountedReport("This website", date(2026, 1, 5), "C-2026-00001"),
        CountedReport("Council", date(2026, 1, 5), " c-2026-00001 "),
        CountedReport("Police", date(2026, 2, 1), "LP-9"),
        CountedReport("Police", date(2026, 2, 2), "lp-9"),
    ]
    result = threshold_check(reports=reports, on=ON, months=6, needed=3)
    assert result.count == 2
    assert len(result.duplicates) == 2
    assert not result.met


def test_reports_without_a_reference_are_never_merged() -> None:
    reports = [CountedReport("Police", date(2026, 2, 1)), CountedReport("Police", date(2026, 2, 1))]
    assert threshold_check(reports=reports, on=ON, months=6, needed=2).met


def test_a_report_after_the_request_day_does_not_count() -> None:
    result = threshold_check(
        reports=[CountedReport("Police", date(2026, 4, 1))], on=ON, months=6, needed=1
    )
    assert result.count == 0


def test_working_days_skip_weekends() -> None:
    # Friday 27 March 2026 + 10 working days = Tuesday 14 April 2026 (Good Friday 3 April and
    # Easter Monday 6 April are bank holidays).
    assert add_days(date(2026, 3, 27), 10, "working") == date(2026, 4, 14)
    assert add_days(date(2026, 3, 27), 10, "calendar") == date(2026, 4, 6)


def test_days_left_counts_working_days_both_ways() -> None:
    assert days_left(date(2026, 4, 14), date(2026, 3, 27), "working") == 10
    assert days_left(date(2026, 3, 27), date(2026, 4, 14), "working") == -10
    assert days_left(date(2026, 3, 27), date(2026, 3, 27), "working") == 0


def test_financial_year_runs_april_to_march() -> None:
    assert financial_year(date(2026, 3, 31)) == 2025
    assert financial_year(date(2026, 4, 1)) == 2026


def test_working_days_skip_weekends_and_bank_holidays() -> None:
    from saferplaces.casereview.threshold import WORKING, add_days, days_left, is_working_day

    # Christmas Day and Boxing Day 2026 fall on a Friday and a Saturday; the substitute bank
    # holiday is Monday 28 December.
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 28))
    assert is_working_day(date(2026, 12, 29))
    # Thursday 24 December + 1 working day is Tuesday 29 December, not Friday 25.
    assert add_days(date(2026, 12, 24), 1, WORKING) == date(2026, 12, 29)
    assert days_left(date(2026, 12, 29), date(2026, 12, 24), WORKING) == 1
