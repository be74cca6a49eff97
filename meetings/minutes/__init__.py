"""Minutes as a document of the site (issue 27): drafted per agenda item by the host or the
secretariat, decisions and actions recorded in place, circulated to the participants for comments
with a deadline, approved (the next meeting's agenda has an item for it), published with the
existing notice; every version kept. Exports: one meeting's minutes and a year's series as PDF, the
decisions as CSV.

models.py (imported by meetings/models.py: `meetings.Minutes`), rules.py, selectors.py,
services.py, forms.py, views.py, exports.py (PDF and CSV), urls.py (included by meetings/urls.py).
May import Django, network and the rest of meetings; nothing of meetings imports it but models.py,
rules.py, urls.py and the minutes notice's context (reminders.py).
"""
