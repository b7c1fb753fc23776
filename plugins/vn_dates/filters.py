"""Jinja filters that print dates the Vietnamese way, without any OS locale.

    {{ article.date|dateline }}  -> "Thứ Năm, 03/08/2023 08:57"
    {{ article.date|vndate }}    -> "03/08/2023"
    {{ article.date|isodate }}   -> "2023-08-03T08:57:00+07:00"
    {{ 3|vnmonth }}              -> "tháng Ba" (month archives, plugins/vn_dates)

All three show the moment in Vietnam time (Asia/Ho_Chi_Minh), whatever the
build machine's time zone or locale.
"""

from __future__ import annotations

from datetime import datetime

from pelican import signals
from pelican.generators import Generator

from tdbvantq.text.dates import format_dateline, to_vietnam_time

FILTERS = ("dateline", "vndate", "isodate", "vnmonth")

# Months of the solar calendar as written in words ("tháng Tư", not "tháng Bốn");
# "Giêng" and "Chạp" name lunar months, so they are not used.
MONTH_NAMES = (
    "Một",
    "Hai",
    "Ba",
    "Tư",
    "Năm",
    "Sáu",
    "Bảy",
    "Tám",
    "Chín",
    "Mười",
    "Mười Một",
    "Mười Hai",
)


def dateline(moment: datetime) -> str:
    """The press's dateline: weekday, dd/mm/yyyy hh:mm."""
    return format_dateline(moment)


def vndate(moment: datetime) -> str:
    """The day only, dd/mm/yyyy."""
    # datetime's own strftime, not Pelican's slower SafeDatetime one (tdbvantq.text.dates).
    return datetime.strftime(to_vietnam_time(moment), "%d/%m/%Y")


def isodate(moment: datetime) -> str:
    """ISO 8601 with the +07:00 offset, for <time datetime> and machine metadata."""
    return to_vietnam_time(moment).isoformat(timespec="seconds")


def vnmonth(month: int | str) -> str:
    """The month's name, "tháng Ba"; a number outside 1..12 is printed as given."""
    try:
        number = int(month)
    except (TypeError, ValueError):
        return f"tháng {month}"
    return f"tháng {MONTH_NAMES[number - 1]}" if 1 <= number <= 12 else f"tháng {month}"


def add_filters(generator: Generator) -> None:
    generator.env.filters.update(dateline=dateline, vndate=vndate, isodate=isodate, vnmonth=vnmonth)


def register() -> None:
    signals.generator_init.connect(add_filters)
