from vn_dates.filters import dateline, isodate, register, vndate, vnmonth

__all__ = ["dateline", "isodate", "register", "vndate", "vnmonth"]
