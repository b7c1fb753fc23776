from schedule.plugin import Unpublished, build_now, register

__all__ = ["Unpublished", "build_now", "register"]
