"""Date polls (issue 27): the organisers of a meeting without a date propose time slots, the invited
answer yes / if need be / no per slot, and closing the poll schedules the meeting.

A room of the meetings app (STYLE.md, "a room per concern"): models (exported by meetings.models as
`meetings.DatePoll`), rules, selectors, services, forms, views and the reminder kinds. It may import
network and the rest of meetings; nothing in meetings imports it but the lines that register it
(meetings/models.py, rules.py, reminders.py, urls.py, admin.py).
"""
