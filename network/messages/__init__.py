"""Messages to members: what the secretariat (or a host, for her meeting) writes to a chosen set of
members, in Swedish and optionally English, sent once through the outbox.

- `models.py`     `Message` and `MessageRecipient` (who got it, in which language, its delivery).
- `messaging.py`  the recipient filters (a registry the upper apps add to: meetings adds "the people
                  of a meeting"), the recipient query, and `message_send()` through the outbox.
- `forms.py`      the compose form (texts, the registered filters).
- `views.py`      compose with a live recipient count, preview, send, the list and a sent message.
- `admin.py`      the backoffice's read-mostly view of what was sent.

May import: Django, `network.models`, `network.rules`, `network.outbox` and `network.language`. The
meetings app's part (its filter and scope, a host writing to her meeting's people) is one module,
`meetings/messaging.py`, and its page one view (`meetings.views.MeetingMessageView`): it builds on
this room, which knows nothing of meetings.
"""
