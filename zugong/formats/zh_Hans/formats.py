"""Number formats for zh-hans over Django's own (``FORMAT_MODULE_PATH``; every other format falls back to
``django/conf/locale/zh_Hans/formats.py``).

Django's zh_Hans has no thousands separator, so ``intcomma`` printed 250018 on the pagers, the organization
tree and the dashboard. Counts on the pages are grouped by three with a comma (250,018), as the messages
written with ``f"{n:,}"`` already did. Only ``intcomma`` and explicit grouping use this:
``USE_THOUSAND_SEPARATOR`` stays off, so years, codes and ids are never grouped.
"""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
