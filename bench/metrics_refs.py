"""The two references the metrics benchmark measures the programme figures against, for a period with no group or
category filter (the benchmark's "a year, everyone"):

- `naive_raw`: what a first version does: load the rows as model objects (consents, the whole ledger, ties, check-ins
  in the period, statuses) and loop over them in Python;
- `floor_raw`: the same figures from hand-written SQL aggregate queries (six of them), with no ORM.

Both return the raw figures in community.metrics' own types, and the caller publishes them through
community.selectors.programme.publish_figures, the product's own disclosure step, so the three paths can be compared
cell by cell and differ only in how the numbers are counted.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from community import scoring
from community.metrics._scope import moment, months_between, next_month
from community.metrics.connections import (
    CategoryMonth,
    CohortRetention,
    DensityChange,
    MonthlyActive,
    NetworkDensity,
    RepeatTieShare,
)
from community.metrics.stats import mean_with_interval, t_quantile_975
from community.metrics.wellbeing import (
    DESTINATION_GROUPS,
    ONS_KEYS,
    PAIRED_MIN_GAP,
    UCLA_TOTALS,
    BandDistribution,
    DestinationShares,
    LonelinessFigures,
    PairedChange,
    activity_groups,
)
from community.models import (
    ActivityStatus,
    EvaluationConsent,
    LonelinessDirect,
    ParticipationEntry,
    Tie,
    WellbeingCheckIn,
)
from community.selectors.programme_filters import ProgrammeFilters

RETURN_WINDOWS = (30, 60)
TRACE: list | None = None  # set to a list to record each query's time (for tuning)


@dataclass
class Raw:
    """Duck-typed like community.selectors.programme.MetricsRaw (the fields a table reads)."""

    monthly_active: list | None = None
    attendance: list | None = None
    cohorts: list | None = None
    repeat_ties: RepeatTieShare | None = None
    density: DensityChange | None = None
    paired: PairedChange | None = None
    ons: list | None = None
    loneliness: LonelinessFigures | None = None
    destinations: DestinationShares | None = None


def _period(filters: ProgrammeFilters):
    if filters.group is not None or filters.category:
        raise ValueError("The references compute the unfiltered figures only.")
    start, end = filters.date_from, filters.date_to + timedelta(days=1)
    return start, end, moment(start), moment(end)


def _month(value: datetime):
    return timezone.localtime(value).date().replace(day=1)


# --- the Python loop -------------------------------------------------------------------------------------------------


def _naive_consenting() -> set[int]:
    newest: dict[int, tuple] = {}
    for answer in EvaluationConsent.objects.all():
        key = (answer.recorded_at, answer.pk)
        if answer.user_id not in newest or key > newest[answer.user_id][0]:
            newest[answer.user_id] = (key, answer.consents)
    return {user_id for user_id, (_key, consents) in newest.items() if consents}


def naive_attendance(
    filters: ProgrammeFilters, raw: Raw | None = None, consenting: set | None = None, ledger: list | None = None
) -> Raw:
    start, end, t0, t1 = _period(filters)
    consenting = consenting if consenting is not None else _naive_consenting()
    ledger = ledger if ledger is not None else list(ParticipationEntry.objects.all())
    raw = raw or Raw()
    active: dict = defaultdict(set)
    counts: dict = defaultdict(int)
    people: dict = defaultdict(set)
    for entry in ledger:
        user_id, occurred_at, category = entry.user_id, entry.occurred_at, entry.category
        if user_id in consenting and t0 <= occurred_at < t1:
            month = _month(occurred_at)
            active[month].add(user_id)
            counts[(month, category)] += 1
            people[(month, category)].add(user_id)
    raw.monthly_active = [MonthlyActive(month=m, members=len(active[m])) for m in months_between(start, end)]
    raw.attendance = [
        CategoryMonth(month=m, category=c, attendances=counts[(m, c)], members=len(people[(m, c)]))
        for m, c in sorted(counts)
    ]
    return raw


def naive_raw(filters: ProgrammeFilters) -> Raw:
    start, end, t0, t1 = _period(filters)
    consenting = _naive_consenting()
    ledger = list(ParticipationEntry.objects.all())
    raw = naive_attendance(filters, Raw(), consenting, ledger)
    entries = [(entry.user_id, entry.occurred_at) for entry in ledger if entry.user_id in consenting]
    # retention
    first: dict[int, datetime] = {}
    for user_id, occurred_at in entries:
        if user_id not in first or occurred_at < first[user_id]:
            first[user_id] = occurred_at
    months = months_between(start, end)
    members: dict = defaultdict(set)
    returned = {days: defaultdict(set) for days in RETURN_WINDOWS}
    active_in: dict = defaultdict(set)
    for user_id, occurred_at in entries:
        first_at = first[user_id]
        if not (t0 <= first_at < t1) or occurred_at >= t1:
            continue
        cohort = _month(first_at)
        members[cohort].add(user_id)
        for days in RETURN_WINDOWS:
            if first_at < occurred_at <= first_at + timedelta(days=days):
                returned[days][cohort].add(user_id)
        active_in[(cohort, _month(occurred_at))].add(user_id)
    known_until = min(t1, timezone.now())
    raw.cohorts = []
    for index, cohort in enumerate(months):
        if cohort not in members:
            continue
        window_ends = moment(next_month(cohort))
        raw.cohorts.append(
            CohortRetention(
                cohort=cohort,
                members=len(members[cohort]),
                returned_within_30=len(returned[30][cohort])
                if window_ends + timedelta(days=30) <= known_until
                else None,
                returned_within_60=len(returned[60][cohort])
                if window_ends + timedelta(days=60) <= known_until
                else None,
                active_by_month=tuple(len(active_in[(cohort, month)]) for month in months[index:]),
            )
        )
    # connections
    length = t1 - t0
    active_now = {user_id for user_id, occurred_at in entries if t0 <= occurred_at < t1}
    active_before = {user_id for user_id, occurred_at in entries if t0 - length <= occurred_at < t0}
    ties = [(tie.user_low_id, tie.user_high_id, tie.first_met_at, tie.times_met) for tie in Tie.objects.all()]
    with_repeat = set()
    now_ties = before_ties = 0
    for low, high, first_met, times in ties:
        if times >= 2 and first_met < t1 and low in consenting and high in consenting:
            with_repeat.update((low, high))
        if first_met < t1 and low in active_now and high in active_now:
            now_ties += 1
        if first_met < t0 and low in active_before and high in active_before:
            before_ties += 1
    raw.repeat_ties = RepeatTieShare(active_members=len(active_now), with_repeat_tie=len(active_now & with_repeat))
    raw.density = DensityChange(
        before=NetworkDensity(active_members=len(active_before), ties=before_ties),
        after=NetworkDensity(active_members=len(active_now), ties=now_ties),
    )
    # wellbeing: each person's first and latest scored check-in, and their latest answer to each question
    fields = ["swemwbs_metric", *(f"ons_{key}" for key in ONS_KEYS), "ucla_total", "lonely_direct"]
    checkins = [
        (checkin.user_id, checkin.created_at, checkin.pk, *(getattr(checkin, field) for field in fields))
        for checkin in WellbeingCheckIn.objects.filter(created_at__gte=t0, created_at__lt=t1)
    ]
    first_score: dict = {}
    latest_score: dict = {}
    latest: dict = defaultdict(dict)
    for user_id, created_at, pk, *answers in checkins:
        if user_id not in consenting:
            continue
        key = (created_at, pk)
        for field, value in zip(fields, answers, strict=True):
            if value is None or value == "":
                continue
            if field == "swemwbs_metric":
                if user_id not in first_score or key < first_score[user_id][0]:
                    first_score[user_id] = (key, value)
                if user_id not in latest_score or key > latest_score[user_id][0]:
                    latest_score[user_id] = (key, value)
            elif field not in latest[user_id] or key > latest[user_id][field][0]:
                latest[user_id][field] = (key, value)
    changes = [
        Decimal(latest_score[user_id][1]) - Decimal(first_score[user_id][1])
        for user_id in first_score
        if latest_score[user_id][0][0] >= first_score[user_id][0][0] + PAIRED_MIN_GAP
    ]
    threshold = scoring.meaningful_change_threshold()
    interval = mean_with_interval([float(change) for change in changes])
    raw.paired = PairedChange(
        n=interval.n,
        mean_change=interval.mean,
        ci_low=interval.low,
        ci_high=interval.high,
        improved=sum(change >= threshold for change in changes),
        threshold=threshold,
    )
    raw.ons = []
    for key in ONS_KEYS:
        counts = dict.fromkeys(scoring.ons_band_labels(key), 0)
        for answers in latest.values():
            if f"ons_{key}" in answers:
                counts[scoring.ons_band(key, answers[f"ons_{key}"][1])] += 1
        raw.ons.append(BandDistribution(question=key, counts=counts))
    ucla = dict.fromkeys(UCLA_TOTALS, 0)
    direct = dict.fromkeys(LonelinessDirect.values, 0)
    for answers in latest.values():
        if "ucla_total" in answers:
            ucla[answers["ucla_total"][1]] += 1
        if "lonely_direct" in answers:
            direct[answers["lonely_direct"][1]] += 1
    raw.loneliness = LonelinessFigures(ucla_counts=ucla, direct_counts=direct)
    # destinations
    newest: dict = {}
    for status in ActivityStatus.objects.all():
        key = (status.recorded_at, status.pk)
        if status.recorded_at < t1 and (status.user_id not in newest or key > newest[status.user_id][0]):
            newest[status.user_id] = (key, status.code)
    groups = activity_groups()
    counts = dict.fromkeys(DESTINATION_GROUPS, 0)
    for user_id in consenting:
        code = newest[user_id][1] if user_id in newest else ""
        counts[groups.get(code or "", "UNKNOWN")] += 1
    raw.destinations = DestinationShares(counts=counts)
    return raw


# --- the floor: hand-written SQL ------------------------------------------------------------------------------------

T = {
    "entry": ParticipationEntry._meta.db_table,
    "tie": Tie._meta.db_table,
    "consent": EvaluationConsent._meta.db_table,
    "checkin": WellbeingCheckIn._meta.db_table,
    "status": ActivityStatus._meta.db_table,
}
CONSENTING = f"""c AS MATERIALIZED (
    SELECT e.user_id FROM {T["consent"]} e WHERE e.consents AND NOT EXISTS (
        SELECT 1 FROM {T["consent"]} n WHERE n.user_id = e.user_id
        AND (n.recorded_at > e.recorded_at OR (n.recorded_at = e.recorded_at AND n.id > e.id))))"""  # noqa: S608

# Connections in one statement, written for each database: SQLite scans the ties once (the unary + keeps it from
# probing the pair index once per pair of active members); PostgreSQL hash-joins the ties with the active members.
CONNECTIONS_SQLITE = f"""WITH {CONSENTING},
        a AS MATERIALIZED (SELECT DISTINCT user_id FROM {T["entry"]} WHERE occurred_at >= %s AND occurred_at < %s
              AND user_id IN (SELECT user_id FROM c)),
        b AS MATERIALIZED (SELECT DISTINCT user_id FROM {T["entry"]} WHERE occurred_at >= %s AND occurred_at < %s
              AND user_id IN (SELECT user_id FROM c)),
        pairs AS MATERIALIZED (SELECT
              SUM(CASE WHEN first_met_at < %s AND +user_low_id IN (SELECT user_id FROM a)
                       AND +user_high_id IN (SELECT user_id FROM a) THEN 1 ELSE 0 END) AS now_ties,
              SUM(CASE WHEN first_met_at < %s AND +user_low_id IN (SELECT user_id FROM b)
                       AND +user_high_id IN (SELECT user_id FROM b) THEN 1 ELSE 0 END) AS before_ties
              FROM {T["tie"]})
        SELECT (SELECT COUNT(*) FROM a),
               (SELECT COUNT(*) FROM a WHERE
                  EXISTS (SELECT 1 FROM {T["tie"]} t WHERE t.user_low_id = a.user_id AND t.times_met >= 2
                          AND t.first_met_at < %s AND +t.user_high_id IN (SELECT user_id FROM c))
                  OR EXISTS (SELECT 1 FROM {T["tie"]} t WHERE t.user_high_id = a.user_id AND t.times_met >= 2
                          AND t.first_met_at < %s AND +t.user_low_id IN (SELECT user_id FROM c))),
               (SELECT now_ties FROM pairs),
               (SELECT COUNT(*) FROM b),
               (SELECT before_ties FROM pairs)"""  # noqa: S608
CONNECTIONS_POSTGRESQL = f"""WITH {CONSENTING},
    a AS MATERIALIZED (SELECT DISTINCT user_id FROM {T["entry"]} WHERE occurred_at >= %s AND occurred_at < %s
          AND user_id IN (SELECT user_id FROM c)),
    b AS MATERIALIZED (SELECT DISTINCT user_id FROM {T["entry"]} WHERE occurred_at >= %s AND occurred_at < %s
          AND user_id IN (SELECT user_id FROM c))
    SELECT (SELECT COUNT(*) FROM a),
           (SELECT COUNT(*) FROM a WHERE user_id IN (
              SELECT t.user_low_id FROM {T["tie"]} t JOIN c ON c.user_id = t.user_high_id
              WHERE t.times_met >= 2 AND t.first_met_at < %s
              UNION ALL SELECT t.user_high_id FROM {T["tie"]} t JOIN c ON c.user_id = t.user_low_id
              WHERE t.times_met >= 2 AND t.first_met_at < %s)),
           (SELECT COUNT(*) FROM {T["tie"]} t JOIN a a1 ON a1.user_id = t.user_low_id
              JOIN a a2 ON a2.user_id = t.user_high_id WHERE t.first_met_at < %s),
           (SELECT COUNT(*) FROM b),
           (SELECT COUNT(*) FROM {T["tie"]} t JOIN b b1 ON b1.user_id = t.user_low_id
              JOIN b b2 ON b2.user_id = t.user_high_id WHERE t.first_met_at < %s)"""  # noqa: S608


def _at(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _plus_days(column: str, days: int) -> str:
    if connection.vendor == "postgresql":
        return f"({column} + INTERVAL '{int(days)} days')"
    return f"datetime({column}, '+{int(days)} days')"


def _month_case(column: str, months: list) -> tuple[str, list]:
    """CASE giving the index of the (local) month `column` falls in; bounds computed here, exact in any time zone."""
    bounds = [_at(moment(month)) for month in months[1:]]
    if not bounds:
        return "0", []
    whens = " ".join(f"WHEN {column} < %s THEN {index}" for index in range(len(bounds)))
    return f"CASE {whens} ELSE {len(bounds)} END", bounds


def _rows(sql: str, params: list) -> list[tuple]:
    if TRACE is not None:
        began = time.perf_counter()
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        finally:
            TRACE.append((sql.split("SELECT")[-1][:60], time.perf_counter() - began))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def floor_attendance(filters: ProgrammeFilters, raw: Raw | None = None, *, monthly: bool = False) -> Raw:
    """Attendance by month and category (one statement); with `monthly`, active members by month from the same rows."""
    start, end, t0, t1 = _period(filters)
    months = months_between(start, end)
    case, bounds = _month_case("occurred_at", months)
    raw = raw or Raw()
    rows = _rows(
        f"""WITH {CONSENTING},
        e AS {"MATERIALIZED" if monthly else ""} (SELECT user_id, category, {case} AS m FROM {T["entry"]}
              WHERE occurred_at >= %s AND occurred_at < %s AND +user_id IN (SELECT user_id FROM c))
        SELECT 1, m, category, COUNT(*), COUNT(DISTINCT user_id) FROM e GROUP BY m, category"""  # noqa: S608
        + ("\n        UNION ALL SELECT 0, m, '', 0, COUNT(DISTINCT user_id) FROM e GROUP BY m" if monthly else ""),
        [*bounds, _at(t0), _at(t1)],
    )
    active = {m: n for kind, m, _c, _a, n in rows if kind == 0}
    raw.monthly_active = [MonthlyActive(month=month, members=active.get(i, 0)) for i, month in enumerate(months)]
    raw.attendance = sorted(
        (
            CategoryMonth(month=months[m], category=category, attendances=count, members=people)
            for kind, m, category, count, people in rows
            if kind == 1
        ),
        key=lambda row: (row.month, row.category),
    )
    return raw


def floor_raw(filters: ProgrammeFilters) -> Raw:
    start, end, t0, t1 = _period(filters)
    raw = floor_attendance(filters, Raw(), monthly=True)
    months = months_between(start, end)
    # retention: first event per consenting member, then their events before the end, by cohort and by month
    cohort_case, cohort_bounds = _month_case("first_at", months)
    month_case, month_bounds = _month_case("e.occurred_at", months)
    returns = ", ".join(
        f"COUNT(DISTINCT CASE WHEN occurred_at > first_at AND occurred_at <= {_plus_days('first_at', days)} "
        "THEN user_id END)"
        for days in RETURN_WINDOWS
    )
    rows = _rows(
        f"""WITH {CONSENTING},
        f AS (SELECT user_id, MIN(occurred_at) AS first_at FROM {T["entry"]}
              WHERE user_id IN (SELECT user_id FROM c) GROUP BY user_id),
        k AS (SELECT user_id, first_at, {cohort_case} AS cohort FROM f WHERE first_at >= %s AND first_at < %s),
        j AS (SELECT k.cohort, k.first_at, e.user_id, e.occurred_at, {month_case} AS m
              FROM k JOIN {T["entry"]} e ON e.user_id = k.user_id AND e.occurred_at < %s)
        SELECT 0, cohort, 0, COUNT(DISTINCT user_id), {returns} FROM j GROUP BY cohort
        UNION ALL SELECT 1, cohort, m, COUNT(DISTINCT user_id), 0, 0 FROM j GROUP BY cohort, m""",  # noqa: S608
        [*cohort_bounds, _at(t0), _at(t1), *month_bounds, _at(t1)],
    )
    sizes = {cohort: (n, r30, r60) for kind, cohort, _m, n, r30, r60 in rows if kind == 0}
    active = {(cohort, m): n for kind, cohort, m, n, _a, _b in rows if kind == 1}
    known_until = min(t1, timezone.now())
    raw.cohorts = []
    for index, cohort in enumerate(months):
        if index not in sizes:
            continue
        n, r30, r60 = sizes[index]
        window_ends = moment(next_month(cohort))
        raw.cohorts.append(
            CohortRetention(
                cohort=cohort,
                members=n,
                returned_within_30=r30 if window_ends + timedelta(days=30) <= known_until else None,
                returned_within_60=r60 if window_ends + timedelta(days=60) <= known_until else None,
                active_by_month=tuple(active.get((index, m), 0) for m in range(index, len(months))),
            )
        )
    # connections: active now and before, repeat ties, ties among the active. The unary + keeps SQLite from probing
    # the (user_low, user_high) index once per pair of members in the two lists: one scan of the ties is far cheaper.
    b0 = t0 - (t1 - t0)
    if connection.vendor == "postgresql":
        sql, params = CONNECTIONS_POSTGRESQL, [t0, t1, b0, t0, t1, t1, t1, t0]
    else:
        sql, params = CONNECTIONS_SQLITE, [t0, t1, b0, t0, t1, t0, t1, t1]
    (now_n, with_repeat, now_ties, before_n, before_ties), *_ = _rows(sql, [_at(value) for value in params])
    raw.repeat_ties = RepeatTieShare(active_members=now_n, with_repeat_tie=with_repeat)
    raw.density = DensityChange(
        before=NetworkDensity(active_members=before_n, ties=before_ties),
        after=NetworkDensity(active_members=now_n, ties=now_ties),
    )
    # paired SWEMWBS change: n, sum, sum of squares and improvers of (latest - first), in SQL
    threshold = scoring.meaningful_change_threshold()
    (n, total, squares, improved), *_ = _rows(
        f"""WITH {CONSENTING},
        w AS (SELECT created_at, swemwbs_metric AS s,
                     FIRST_VALUE(swemwbs_metric) OVER (PARTITION BY user_id ORDER BY created_at, id) AS fs,
                     FIRST_VALUE(created_at) OVER (PARTITION BY user_id ORDER BY created_at, id) AS fa,
                     ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY created_at DESC, id DESC) AS rl
              FROM {T["checkin"]} WHERE swemwbs_metric IS NOT NULL AND created_at >= %s AND created_at < %s
              AND user_id IN (SELECT user_id FROM c)),
        d AS (SELECT s - fs AS d FROM w WHERE rl = 1 AND created_at >= {_plus_days("fa", PAIRED_MIN_GAP.days)})
        SELECT COUNT(*), SUM(d), SUM(d * d), SUM(CASE WHEN d >= %s THEN 1 ELSE 0 END) FROM d""",  # noqa: S608
        [_at(t0), _at(t1), float(threshold) - 1e-9],
    )
    raw.paired = _paired(n, total, squares, improved, threshold)
    # each member's latest answer to each question in the period, counted by answer
    parts, params = [], []
    for field in [*(f"ons_{key}" for key in ONS_KEYS), "ucla_total", "lonely_direct"]:
        blank = f" AND {field} <> ''" if field == "lonely_direct" else ""
        parts.append(
            f"""SELECT '{field}', v, COUNT(*) FROM (
                SELECT CAST({field} AS TEXT) AS v,
                       ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY created_at DESC, id DESC) AS r
                FROM {T["checkin"]} WHERE {field} IS NOT NULL{blank} AND created_at >= %s AND created_at < %s
                AND user_id IN (SELECT user_id FROM c)) x WHERE r = 1 GROUP BY v"""  # noqa: S608
        )
        params += [_at(t0), _at(t1)]
    answers: dict = defaultdict(dict)
    for field, value, count in _rows(f"WITH {CONSENTING} " + " UNION ALL ".join(parts), params):
        answers[field][value] = count
    raw.ons = []
    for key in ONS_KEYS:
        counts = dict.fromkeys(scoring.ons_band_labels(key), 0)
        for value, count in answers[f"ons_{key}"].items():
            counts[scoring.ons_band(key, int(value))] += count
        raw.ons.append(BandDistribution(question=key, counts=counts))
    ucla = {total: answers["ucla_total"].get(str(total), 0) for total in UCLA_TOTALS}
    direct = {value: answers["lonely_direct"].get(value, 0) for value in LonelinessDirect.values}
    raw.loneliness = LonelinessFigures(ucla_counts=ucla, direct_counts=direct)
    # destinations: each consenting member's newest status before the end
    groups = activity_groups()
    counts = dict.fromkeys(DESTINATION_GROUPS, 0)
    for code, count in _rows(
        f"""WITH {CONSENTING},
        s AS (SELECT user_id, code, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY recorded_at DESC, id DESC) AS r
              FROM {T["status"]} WHERE recorded_at < %s)
        SELECT s.code, COUNT(*) FROM c LEFT JOIN s ON s.user_id = c.user_id AND s.r = 1 GROUP BY s.code""",  # noqa: S608
        [_at(t1)],
    ):
        counts[groups.get(code or "", "UNKNOWN")] += count
    raw.destinations = DestinationShares(counts=counts)
    return raw


def _paired(n: int, total, squares, improved, threshold: Decimal) -> PairedChange:
    if not n:
        return PairedChange(n=0, mean_change=None, ci_low=None, ci_high=None, improved=0, threshold=threshold)
    mean = float(total) / n
    if n == 1:
        return PairedChange(
            n=1, mean_change=mean, ci_low=None, ci_high=None, improved=int(improved), threshold=threshold
        )
    sd = math.sqrt(max(float(squares) - n * mean * mean, 0.0) / (n - 1))
    half = t_quantile_975(n - 1) * sd / math.sqrt(n)
    return PairedChange(
        n=n, mean_change=mean, ci_low=mean - half, ci_high=mean + half, improved=int(improved), threshold=threshold
    )
