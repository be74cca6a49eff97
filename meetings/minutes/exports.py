"""The minutes as PDF (one meeting's, or a year's series; reportlab) and their decisions as CSV
(django-import-export through network/exports.py, every cell escaped against formulas). Texts are
the reader's language (the request's), as on the pages."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields
from import_export.formats.base_formats import CSV
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

from meetings.resources import DecisionResource
from network.exports import dataset_response
from network.language import dates

from .selectors import MinutesDocument, action_line

# --- PDF --------------------------------------------------------------------------------------------


def _para(text: str, style) -> Paragraph:
    """A paragraph of a member's text: reportlab reads its own markup, so everything is escaped and
    line breaks kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _story(document: MinutesDocument, styles) -> list:
    meeting, minutes = document.meeting, document.minutes
    story = [_para(_("Minutes of %(meeting)s") % {"meeting": meeting.display_title}, styles["Title"])]
    facts = []
    if meeting.starts_at:
        facts.append(dates.span(meeting.starts_at, meeting.ends_at))
    if meeting.host_id:
        facts.append(_("Host: %(host)s") % {"host": meeting.host.name})
    if meeting.venue:
        facts.append(meeting.venue)
    facts.append(_("Status: %(status)s") % {"status": minutes.get_status_display()})
    if minutes.approved_at:
        facts.append(_("Approved %(day)s") % {"day": dates.day(minutes.approved_at)})
    story.append(_para("\n".join(facts), styles["Normal"]))
    if minutes.introduction:
        story += [Spacer(1, 4 * mm), _para(minutes.introduction, styles["BodyText"])]
    for number, view in enumerate(document.items, start=1):
        story.append(_para(f"§ {number}. {view.item.title}", styles["Heading2"]))
        if view.item.text:
            story.append(_para(view.item.text, styles["BodyText"]))
        story += [_para(f"{_('Decision')}: {d.text}", styles["Bullet"]) for d in view.decisions]
        story += [_para(action_line(a), styles["Bullet"]) for a in view.actions]
    if document.other_decisions or document.other_actions:
        story.append(_para(_("Other decisions and actions"), styles["Heading2"]))
        story += [_para(f"{_('Decision')}: {d.text}", styles["Bullet"]) for d in document.other_decisions]
        story += [_para(action_line(a), styles["Bullet"]) for a in document.other_actions]
    return story


def minutes_pdf(documents: list[MinutesDocument], *, title: str, empty: str = "") -> bytes:
    """One PDF of `documents`, each from a new page; `empty` is its one line when there are none."""
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="KLOSS-Net",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )
    styles = getSampleStyleSheet()
    story: list = []
    for index, document in enumerate(documents):
        if index:
            story.append(PageBreak())
        story += _story(document, styles)
    if not story:
        story = [_para(title, styles["Title"]), _para(empty, styles["Normal"])]
    pdf.build(story)
    return buffer.getvalue()


def pdf_response(body: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- CSV of the decisions ----------------------------------------------------------------------------


class MinutesDecisionResource(DecisionResource):
    """The register's columns, with the meeting's date and the agenda item it was taken under."""

    date = fields.Field(column_name=gettext_lazy("Date"))
    agenda_item = fields.Field(attribute="agenda_item__title", column_name=gettext_lazy("Agenda item"))

    class Meta(DecisionResource.Meta):
        fields = ("id", "meeting", "date", "agenda_item", "text_sv", "text_en", "theme")
        export_order = fields

    def dehydrate_date(self, decision):
        starts = decision.meeting.starts_at
        return timezone.localdate(starts).isoformat() if starts else ""


def decisions_csv(queryset, *, filename: str) -> HttpResponse:
    return dataset_response(resource=MinutesDecisionResource(), queryset=queryset, format_=CSV(), filename=filename)
