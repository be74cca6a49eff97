"""The outbox: every email of the site goes out through here, and every webhook call (network/webhooks/).

- `models.py`   `Delivery`, one row per message owed to someone: the single source of truth of what
                was sent (queued -> sending -> sent / skipped / failed).
- `render.py`   how a row becomes an email: `render_mail()` renders `<name>.subject.txt/.txt/.html`
                in the recipient's language; the addresses the mail server may be given.
- `worker.py`   the send path: the registry of kinds (each app's reminders register their due
                computers), the sweep that records what is due and re-queues what a broker lost,
                the hand-off to the send tasks (defined there) and `delivery_send()` /
                `delivery_send_batch()` that claim rows and hand them to the mail server, with retries.
- `mail.py`     the way in: `mail_enqueue()` (and `mail_enqueue_message()` for an already rendered
                message) records rows and hands them to the send tasks. A request never waits on SMTP.
- `webhook.py`  the HTTP side of a row with a `webhook` subscription: the signed POST to the address
                checked at that moment, and the subscription's run of failures (paused after a day).
                The worker claims, retries and marks these rows as it does emails.
- `health.py`   is mail going out? The one notice to the secretariat when it has been failing.
- `admin.py`    the delivery log in the backoffice ("send again").

Imports go one way: render, webhook <- worker <- mail <- health, admin (network/tasks.py, beat's tasks,
imports worker). May import: Django, Celery, `network.models`, `network.language` and the webhooks'
addresses.py and signing.py (network/webhooks/ imports the outbox, never the other way). No upper app: meetings
and projects register their kinds here (`worker.reminder_kind`, `worker.notice_kind`), the outbox
never imports them.
"""
