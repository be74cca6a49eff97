"""Outputs from where they are already recorded: a DOI (doi.org content negotiation, CSL-JSON from
Crossref, DataCite or mEDRA), Swepub (the national aggregate of the universities' publication
records: a record by its identifier, or a search by institution and title) and LIBRIS (an ISBN).

A room of the projects app (docs: STYLE.md "Rooms"):
  records.py   what a source said, as one shape (Record, Author): pure, no Django models
  client.py    the one HTTP client (httpx): timeouts, size cap, every failure a SourceError
  sources.py   the sources: fetch, and parse each source's documented answer into a Record
  dedupe.py    is it registered already? (DOI, ISBN, normalised title)
  matching.py  which members are its authors? (ORCID first, then name and institution)
  models.py    OutputSource, OutputAuthor, ImportJob, ImportJobItem
  services.py  every write: one import, a batch job and its run
  tasks.py     the batch job's Celery task
  forms.py, views.py  the import page (projects:output_import) and the job's page
It may import projects' models, validators and services and the network app; nothing imports it but
projects' urls, views (a link), admin and demo."""
