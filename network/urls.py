from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("application/", views.ApplicationStatusView.as_view(), name="application_status"),
    path("institutions/", views.InstitutionListView.as_view(), name="institution_list"),
    path("institutions/<slug:slug>/", views.InstitutionDetailView.as_view(), name="institution_detail"),
    path("members/", views.MemberListView.as_view(), name="member_list"),
    path("members/<int:pk>/", views.MemberDetailView.as_view(), name="member_detail"),
]
