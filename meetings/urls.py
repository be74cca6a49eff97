from django.urls import path

from . import message_views, views

app_name = "meetings"
urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting_list"),
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
    path("<int:pk>/message/", message_views.MeetingMessageView.as_view(), name="meeting_message"),
]
