"""Vietnamese dates: the dateline the press prints ("Thứ Năm, 03/08/2023 08:57").

Formatting does not depend on an OS locale being installed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def to_vietnam_time(moment: datetime) -> datetime:
    """Aware datetimes are converted to Vietnam time; naive ones are taken as Vietnam time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=VIETNAM)
    return moment.astimezone(VIETNAM)


def weekday_name(moment: datetime) -> str:
    return WEEKDAYS[to_vietnam_time(moment).weekday()]


def format_dateline(moment: datetime) -> str:
    """ "Thứ Năm, 03/08/2023 08:57" in Vietnam time."""
    local = to_vietnam_time(moment)
    # datetime's own strftime: Pelican's dates (SafeDatetime) override it with one that
    # scans the format and formats each directive apart, ~10 calls a dateline, while a
    # build prints ~4,500 datelines at 1,000 stories. The same text for these directives.
    return f"{WEEKDAYS[local.weekday()]}, {datetime.strftime(local, '%d/%m/%Y %H:%M')}"


# --- Parsing (the importer's side) -------------------------------------------------------------
# The press writes day before month ("03/08/2023" is 3 August); times are Vietnam time unless
# an offset ("+07:00", "GMT+7", "Z") says otherwise.

_ISO = re.compile(
    r"(?<!\d)(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?(?![\d])"
)
_DMY = re.compile(r"(?<![\d/.-])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
_WORDY = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_TIME = re.compile(
    r"(?<![\d/.:])([01]?\d|2[0-3])\s*(?::|h|giờ)\s*([0-5]\d)(?::([0-5]\d))?(?![\d/])"
    r"(?:\s*(AM|PM|SA|CH)\b)?",
    re.IGNORECASE,
)
_GMT = re.compile(r"(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)


def _offset(text: str) -> timezone | None:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _aware(
    year: int, month: int, day: int, hour: int, minute: int, second: int, tz: tzinfo | None
) -> datetime | None:
    try:
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    if tz is None:
        return moment.replace(tzinfo=VIETNAM)
    return moment.replace(tzinfo=tz).astimezone(VIETNAM)


def parse_vietnamese_datetime(text: str) -> datetime | None:
    """A press date or dateline -> aware datetime in Asia/Ho_Chi_Minh, or None.

    Accepts "Thứ Năm, 03/08/2023 08:57", "03/08/2023 - 08:57", "3/8/2023", "08:57 03/08/2023",
    "Thứ tư, 22/10/2025, 19:25 (GMT+7)", "ngày 3 tháng 8 năm 2023" and ISO 8601
    ("2023-08-03T08:57:00+07:00", "2023-08-03"). A date without a time is taken at 00:00.
    """
    if not text:
        return None
    text = " ".join(str(text).split())
    iso = _ISO.search(text)
    if iso:
        year, month, day = int(iso[1]), int(iso[2]), int(iso[3])
        hour, minute, second = int(iso[4] or 0), int(iso[5] or 0), int(iso[6] or 0)
        return _aware(year, month, day, hour, minute, second, _offset(iso[7]) if iso[7] else None)
    found = _DMY.search(text) or _WORDY.search(text)
    if not found:
        return None
    day, month, year = int(found[1]), int(found[2]), int(found[3])
    rest = text[: found.start()] + " " + text[found.end() :]
    hour = minute = second = 0
    clock = _TIME.search(rest)
    if clock:
        hour, minute, second = int(clock[1]), int(clock[2]), int(clock[3] or 0)
        meridiem = (clock[4] or "").upper()
        if meridiem in ("PM", "CH") and hour < 12:
            hour += 12
        elif meridiem in ("AM", "SA") and hour == 12:
            hour = 0
    tz = None
    gmt = _GMT.search(rest)
    if gmt:
        sign = -1 if gmt[1] == "-" else 1
        tz = timezone(sign * timedelta(hours=int(gmt[2]), minutes=int(gmt[3] or 0)))
    return _aware(year, month, day, hour, minute, second, tz)
