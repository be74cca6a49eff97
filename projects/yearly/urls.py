"""The yearly report's URLs, included in the projects namespace (projects/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.YearlyReportView.as_view(), name="yearly_report"),
    path("<int:pk>/download.<str:extension>", views.YearlyReportDownloadView.as_view(), name="yearly_report_download"),
]
