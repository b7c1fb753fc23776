"""Jinja filters that print dates the Vietnamese way, without any OS locale.

    {{ article.date|dateline }}  -> "Thứ Năm, 03/08/2023 08:57"
    {{ article.date|vndate }}    -> "03/08/2023"
    {{ article.date|isodate }}   -> "2023-08-03T08:57:00+07:00"

All three show the moment in Vietnam time (Asia/Ho_Chi_Minh), whatever the
build machine's time zone or locale.
"""

from __future__ import annotations

from datetime import datetime

from pelican import signals
from pelican.generators import Generator

from vntext.dates import format_dateline, to_vietnam_time

FILTERS = ("dateline", "vndate", "isodate")


def dateline(moment: datetime) -> str:
    """The press's dateline: weekday, dd/mm/yyyy hh:mm."""
    return format_dateline(moment)


def vndate(moment: datetime) -> str:
    """The day only, dd/mm/yyyy."""
    return f"{to_vietnam_time(moment):%d/%m/%Y}"


def isodate(moment: datetime) -> str:
    """ISO 8601 with the +07:00 offset, for <time datetime> and machine metadata."""
    return to_vietnam_time(moment).isoformat(timespec="seconds")


def add_filters(generator: Generator) -> None:
    generator.env.filters.update(dateline=dateline, vndate=vndate, isodate=isodate)


def register() -> None:
    signals.generator_init.connect(add_filters)
