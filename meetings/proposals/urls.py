"""Included by meetings/urls.py under proposals/ (names in the `meetings` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.ProposalListView.as_view(), name="proposal_list"),
    path("new/", views.ProposalCreateView.as_view(), name="proposal_add"),
    path("<int:pk>/", views.ProposalDetailView.as_view(), name="proposal_detail"),
    path("<int:pk>/vote/", views.ProposalVoteView.as_view(), name="proposal_vote"),
    path("<int:pk>/comment/", views.ProposalCommentView.as_view(), name="proposal_comment"),
    path("<int:pk>/close/", views.ProposalCloseView.as_view(), name="proposal_close"),
    path("<int:pk>/statement/", views.ProposalStatementView.as_view(), name="proposal_statement"),
]
