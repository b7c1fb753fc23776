"""Vietnamese dates: the dateline the press prints ("Thứ Năm, 03/08/2023 08:57").

Formatting does not depend on an OS locale being installed.
"""

from __future__ import annotations

from datetime import datetime
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
    return f"{WEEKDAYS[local.weekday()]}, {local:%d/%m/%Y %H:%M}"
