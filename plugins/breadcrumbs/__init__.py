from breadcrumbs.plugin import Crumb, breadcrumb_list, register

__all__ = ["Crumb", "breadcrumb_list", "register"]
