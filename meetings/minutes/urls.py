"""The minutes' URLs, added to the meetings app's (meetings/urls.py: the `meetings:` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("minutes/", views.MinutesIndexView.as_view(), name="minutes_index"),
    path("minutes/<int:year>/", views.MinutesSeriesView.as_view(), name="minutes_series"),
    path("minutes/<int:year>.pdf", views.MinutesSeriesPDFView.as_view(), name="minutes_series_pdf"),
    path("minutes/<int:year>/decisions.csv", views.MinutesSeriesCSVView.as_view(), name="minutes_series_csv"),
    path("<int:pk>/minutes/", views.MinutesDetailView.as_view(), name="minutes_detail"),
    path("<int:pk>/minutes/start/", views.MinutesStartView.as_view(), name="minutes_start"),
    path("<int:pk>/minutes/edit/", views.MinutesEditView.as_view(), name="minutes_edit"),
    path("<int:pk>/minutes/circulate/", views.MinutesCirculateView.as_view(), name="minutes_circulate"),
    path("<int:pk>/minutes/comment/", views.MinutesCommentView.as_view(), name="minutes_comment"),
    path("<int:pk>/minutes/status/", views.MinutesStatusView.as_view(), name="minutes_status"),
    path("<int:pk>/minutes/versions/", views.MinutesVersionListView.as_view(), name="minutes_versions"),
    path("<int:pk>/minutes/versions/<int:number>/", views.MinutesVersionView.as_view(), name="minutes_version"),
    path(
        "<int:pk>/minutes/items/<int:item_pk>/decision/",
        views.MinutesDecisionCreateView.as_view(),
        name="minutes_decision_add",
    ),
    path(
        "<int:pk>/minutes/items/<int:item_pk>/action/",
        views.MinutesActionCreateView.as_view(),
        name="minutes_action_add",
    ),
    path("<int:pk>/minutes.pdf", views.MinutesPDFView.as_view(), name="minutes_pdf"),
    path("<int:pk>/minutes/decisions.csv", views.MinutesDecisionsCSVView.as_view(), name="minutes_decisions_csv"),
]
