"""The meetings app's endpoints of /api/v1/ (composed in kloss_site/api.py): meetings with their
agenda, documents' metadata, decisions and actions; themes; the decision and action registers."""
