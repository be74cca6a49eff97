"""The outbox: every email of the site (and nothing else) goes out through here.

- `models.py`   `Delivery`, one row per message owed to someone: the single source of truth of what
                was sent (queued -> sending -> sent / skipped / failed).
- `mail.py`     the way in: `mail_enqueue()` (and `mail_enqueue_message()` for an already rendered
                message) records rows; `render_mail()` renders `<name>.subject.txt/.txt/.html` in the
                recipient's language. A request never waits on SMTP.
- `worker.py`   the send path: the registry of kinds (each app's reminders register their due
                computers), the sweep that records what is due and re-queues what a broker lost, and
                `delivery_send()` that claims a row and hands it to the mail server, with retries.
- `health.py`   is mail going out? The one notice to the secretariat when it has been failing.
- `admin.py`    the delivery log in the backoffice ("send again").

May import: Django, `network.models` and `network.language`; the Celery tasks that drive it are
`network/tasks.py` (Celery finds tasks per app). No upper app: meetings and projects register their
kinds here (`worker.register`), the outbox never imports them.
"""
