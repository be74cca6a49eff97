from django.urls import path

from network.messages import views as message_views

from . import views

app_name = "network"
urlpatterns = [
    path("application/", views.ApplicationStatusView.as_view(), name="application_status"),
    path("privacy/", views.PrivacyNoticeView.as_view(), name="privacy_notice"),
    path("privacy/export/", views.DataExportView.as_view(), name="data_export"),
    path("privacy/delete/", views.AccountDeleteView.as_view(), name="account_delete"),
    path("profile/", views.ProfileEditView.as_view(), name="profile_edit"),
    path("leave/", views.MemberLeaveView.as_view(), name="member_leave"),
    path("institutions/", views.InstitutionListView.as_view(), name="institution_list"),
    path("institutions/<slug:slug>/", views.InstitutionDetailView.as_view(), name="institution_detail"),
    path("members/", views.MemberListView.as_view(), name="member_list"),
    path("members/<int:pk>/", views.MemberDetailView.as_view(), name="member_detail"),
    path("steering-group/", views.SteeringGroupView.as_view(), name="steering_group"),
    path("approvals/", views.ApprovalListView.as_view(), name="approval_list"),
    path("approvals/<int:pk>/decide/", views.ApprovalDecideView.as_view(), name="approval_decide"),
    # Messages to members (network/messages/messaging.py); a host writes from her meeting (meetings:meeting_message).
    path("messages/", message_views.MessageListView.as_view(), name="message_list"),
    path("messages/new/", message_views.MessageComposeView.as_view(), name="message_create"),
    path("messages/<int:pk>/", message_views.MessageDetailView.as_view(), name="message_detail"),
]
