from django.urls import include, path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project_update"),
    path("<int:pk>/participants/add/", views.ParticipantAddView.as_view(), name="participant_add"),
    path("<int:pk>/partners/add/", views.PartnerAddView.as_view(), name="partner_add"),
    path("<int:pk>/links/add/", views.LinkAddView.as_view(), name="link_add"),
    path("<int:pk>/outputs/add/", views.OutputCreateView.as_view(), name="output_create"),
    path("themes/", views.ThemeListView.as_view(), name="theme_list"),
    path("themes/propose/", views.ThemeProposeView.as_view(), name="theme_propose"),
    path("themes/<int:pk>/accept/", views.ThemeAcceptView.as_view(), name="theme_accept"),
    path("rounds/", views.RoundListView.as_view(), name="round_list"),
    path("rounds/new/", views.RoundCreateView.as_view(), name="round_create"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round_detail"),
    path("rounds/<int:pk>/pre-read/", views.RoundPackView.as_view(), name="round_pack"),
    path("rounds/<int:pk>/pre-read/download/", views.RoundPackDownloadView.as_view(), name="round_pack_download"),
    path("rounds/<int:round_pk>/report/<int:project_pk>/", views.ReportEditView.as_view(), name="report_edit"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/reopen/", views.ReportReopenView.as_view(), name="report_reopen"),
    path("results/", views.OutputListView.as_view(), name="output_list"),
    path("results/export/", views.OutputExportView.as_view(), name="output_export"),
    path("results/dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("results/<int:pk>/", views.OutputDetailView.as_view(), name="output_detail"),
    path("results/<int:pk>/edit/", views.OutputUpdateView.as_view(), name="output_update"),
    path("results/<int:pk>/file/", views.OutputFileView.as_view(), name="output_file"),
    path("yearly-report/", include("projects.yearly.urls")),  # the network's yearly report (projects/yearly/)
]
