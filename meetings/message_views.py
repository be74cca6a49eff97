"""A host contact writes to her meeting's people: network's compose view, limited to the meeting
(the scope registered in meetings/messaging.py). Anyone who may not host the meeting gets 404."""

from network.messages.views import MessageComposeView

from .views import MeetingObjectMixin


class MeetingMessageView(MeetingObjectMixin, MessageComposeView):
    host_only = True
    template_name = "meetings/message_form.html"  # network's page, with the meetings in its breadcrumb

    def get_scope(self):
        return self.get_meeting()
