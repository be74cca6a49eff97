"""The projects app's endpoints of /api/v1/ (composed in kloss_site/api.py): projects, outputs (the
results catalogue) and uptake. Coverage is not exposed yet (TODO for the lead, see kloss_site/api.py)."""
