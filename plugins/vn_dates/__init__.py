from vn_dates.filters import dateline, isodate, register, vndate

__all__ = ["dateline", "isodate", "register", "vndate"]
