from django.urls import include, path

from . import decision_views, views
from .polls import views as poll_views

app_name = "meetings"
urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting_list"),
    path("participation/", views.ParticipationView.as_view(), name="participation"),
    path("rotation/", views.RotationPlanView.as_view(), name="rotation_plan"),
    path("calendar/", views.CalendarSettingsView.as_view(), name="calendar"),
    path("calendar/<str:token>.ics", views.CalendarFeedView.as_view(), name="calendar_feed"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("<int:pk>/meeting.ics", views.MeetingICSView.as_view(), name="meeting_ics"),
    path("<int:pk>/hosting/", views.HostingView.as_view(), name="meeting_hosting"),
    path("<int:pk>/schedule/", views.MeetingScheduleView.as_view(), name="meeting_schedule"),
    path("<int:pk>/status/", views.MeetingStatusView.as_view(), name="meeting_status"),
    path("<int:pk>/agenda/add/", views.AgendaItemCreateView.as_view(), name="agenda_item_add"),
    path("<int:pk>/agenda/<int:item_pk>/delete/", views.AgendaItemDeleteView.as_view(), name="agenda_item_delete"),
    path("<int:pk>/rsvp/", views.AttendanceView.as_view(), name="attendance"),
    path("<int:pk>/stand-in/", views.StandInView.as_view(), name="stand_in"),
    path("<int:pk>/participants/", views.ParticipantListView.as_view(), name="participant_list"),
    path("<int:pk>/participants.csv", views.ParticipantCSVView.as_view(), name="participant_csv"),
    path("<int:pk>/documents/add/", views.DocumentUploadView.as_view(), name="document_upload"),
    path("documents/<int:pk>/", views.DocumentDownloadView.as_view(), name="document_download"),
    path("<int:pk>/message/", views.MeetingMessageView.as_view(), name="meeting_message"),
    # Decisions and actions (decision_views.py).
    path("actions/", decision_views.ActionRegisterView.as_view(), name="action_register"),
    path("actions/export/", decision_views.ActionExportView.as_view(), name="action_export"),
    path("actions/<int:pk>/status/", decision_views.ActionStatusView.as_view(), name="action_status"),
    path("decisions/", decision_views.DecisionRegisterView.as_view(), name="decision_register"),
    path("decisions/export/", decision_views.DecisionExportView.as_view(), name="decision_export"),
    path("<int:pk>/decisions/add/", decision_views.DecisionCreateView.as_view(), name="decision_add"),
    path("<int:pk>/decisions/<int:decision_pk>/", decision_views.DecisionEditView.as_view(), name="decision_edit"),
    path("<int:pk>/actions/add/", decision_views.ActionCreateView.as_view(), name="action_add"),
    path("<int:pk>/attended/", decision_views.AttendanceMarkView.as_view(), name="attendance_mark"),
    path("<int:pk>/actions/<int:action_pk>/", decision_views.ActionEditView.as_view(), name="action_edit"),
    # Date polls (meetings/polls/).
    path("<int:pk>/date-poll/", poll_views.DatePollCreateView.as_view(), name="date_poll_add"),
    path("date-polls/<int:pk>/", poll_views.DatePollView.as_view(), name="date_poll"),
    path("date-polls/<int:pk>/close/", poll_views.DatePollCloseView.as_view(), name="date_poll_close"),
    # Proposals decided between meetings (meetings/proposals/).
    path("proposals/", include("meetings.proposals.urls")),
]

# Minutes as a document of the site (meetings/minutes/urls.py).
from .minutes.urls import urlpatterns as minutes_urlpatterns  # noqa: E402

urlpatterns += minutes_urlpatterns
