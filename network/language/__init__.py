"""Swedish (and English) language support of the whole site: how names sort and match, how dates
read, and the wording of forms and of allauth's pages.

- `swedish.py`         Swedish alphabetical order and accent-free matching, in plain Python.
- `collation.py`       the same rules in the database: the `swedish` collation and `unaccent` (an ICU
                       collation and an extension on PostgreSQL, registered functions on SQLite), and
                       the search lookup `uicontains`; opening a site database outside Django.
- `dates.py`           one date and range format per language, for pages and emails.
- `allauth_texts.py`   allauth's texts in the site's own words, in both languages.
- `forms_renderer.py`  the form renderer of the site (errors announced and tied to their fields).

May import: Django and the standard library; nothing else of ours (every app leans on it).
"""
