from django.urls import include, path

from . import views
from .importers import views as import_views

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
    path("<int:pk>/outputs/import/", import_views.OutputImportView.as_view(), name="output_import"),
    path("imports/<int:pk>/", import_views.ImportJobView.as_view(), name="import_job"),
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
    path("<int:project_pk>/uptake/add/", views.UptakeCreateView.as_view(), name="uptake_create"),
    path("results/<int:output_pk>/uptake/add/", views.UptakeCreateView.as_view(), name="uptake_create_output"),
    path("uptake/", views.UptakeListView.as_view(), name="uptake_list"),
    path("uptake/<int:pk>/", views.UptakeDetailView.as_view(), name="uptake_detail"),
    path("uptake/<int:pk>/edit/", views.UptakeUpdateView.as_view(), name="uptake_update"),
    path("uptake/<int:pk>/follow-up/", views.UptakeFollowUpView.as_view(), name="uptake_follow_up"),
    path("uptake/<int:pk>/evidence/", views.UptakeEvidenceView.as_view(), name="uptake_evidence"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("coverage/export/", views.CoverageExportView.as_view(), name="coverage_export"),
]
