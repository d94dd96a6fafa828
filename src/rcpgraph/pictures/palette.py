"""The colours of the pictures: statuses as the pages colour them, groups, kinds and link statuses."""

from __future__ import annotations

from rcpgraph.namespaces import RCPID

STATUS = {  # the same colours as the pages' style sheet
    RCPID + "status/answered": "#cfe8d5",
    RCPID + "status/fragment": "#f6e3b4",
    RCPID + "status/no-example-provided": "#e4e0f3",
    RCPID + "status/no-response-given": "#f3d0cd",
    RCPID + "status/blank": "#eceff3",
}
GROUP = {1: "#1f77b4", 2: "#e07b00", 3: "#2a9d57"}  # thematic, ad hoc, without development
OTHER_PROCESS = "#8a93a3"  # a process that is no row of the table
ORGANISATION = "#ffffff"
INK = "#1d2330"
MUTED = "#5b6475"
LINE = "#d8dde6"
SERIES = ("#1f77b4", "#e07b00", "#2a9d57", "#c8413b", "#7b5ea7", "#8c564b", "#d16ba5", "#7f7f7f", "#17a2b8")


def series(index: int) -> str:
    """The colour of the `index`-th series of a chart."""
    return SERIES[index % len(SERIES)]
