"""Webhooks: the member institutions' own systems are told, signed, when something happens.

- `models.py`     `WebhookSubscription`: an address, the events it wants, whose view it has (an
                  institution's, or the network's), its secret, active or paused (and why).
- `events.py`     the registry of typed event names; each app registers its own in its `webhooks`
                  module (meetings/webhooks.py, projects/webhooks.py) with its payload and who may see it.
- `services.py`   `webhook_emit()`, called by the service where the thing happens, in its transaction;
                  the secretariat's writes (create, rotate the secret, pause, resume).
- `addresses.py`  which addresses may be called (https, public addresses only: no SSRF).
- `signing.py`    Standard Webhooks signatures.
- `admin.py`      the subscriptions in the backoffice (the calls themselves are Deliveries).

How a call travels: `webhook_emit` writes one `network.Delivery` row per subscription that wants the
event and may see it (unique per event, object and subscription), holding the body as it will be
signed and the message id, and hands the new rows to the outbox's worker after the commit. From there
a call is an email's twin (network/outbox/worker.py; its HTTP side network/outbox/webhook.py): claimed
once, retried with backoff, re-queued by the sweep when a worker died, listed in Deliveries. What the
guarantee means at the receiver: every event arrives; a worker killed between the receiver's answer
and the row's "sent" commit sends that one call again with the same `webhook-id`, which the receiver
drops (Standard Webhooks asks receivers to).

The payloads follow the site's permissions (events.py): a subscription of an institution receives
what an ordinary member of that institution may see, never steering-group matters nor the
secretariat's.

May import: Django, `network.models`, the outbox. No upper app: meetings and projects register their
events here and call `webhook_emit`.
"""
