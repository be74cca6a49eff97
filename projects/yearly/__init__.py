"""The network's yearly report (issue 26, point 4): one document for a chosen year, in Swedish or
English, that the secretariat sends to the universities' leaderships.

A room of its own in the projects app:
- `data.py` gathers the year (a constant number of queries) into one plain structure, in the
  language active at the time (the caller wraps it in `translation.override`);
- `charts.py` draws that structure's figures with reportlab's own graphics;
- `pdf.py` (reportlab) and `word.py` (python-docx) render the same structure;
- `services.py` checks a request, keeps a `YearlyReport` row and builds its files; `tasks.py` runs the
  build in the background; the `yearly_report` command and the page (`views.py`) call the same code.

May import: network, meetings, projects' models and rules; nothing imports it but projects' urls,
apps (the task), models (the model) and the command.
"""
