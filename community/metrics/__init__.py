"""Programme and personal metrics: pure reads of community's own tables (docs/metrics.md defines every measure).

- connections: per member (`member_connections`) and per programme (`programme_connections` and its parts).
- wellbeing: paired SWEMWBS change, ONS4 bands, loneliness, destinations (consenting members only).
- disclosure: counts below the threshold as "c", means only from enough people, secondary suppression.
- stats: the t quantile for confidence intervals (no scipy).

Programme figures come back as raw counts in plain dataclasses: anything that leaves the personal view must pass
through `community.metrics.disclosure` before it is shown or exported.
"""
