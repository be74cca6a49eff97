"""Which members are an imported output's authors? Proposals only: a person confirms them.

ORCID first: the same iD is the same person. Then name and institution: the same name (case and
accents folded) and her institution named in the author's affiliation, or, when the source gives no
affiliation (LIBRIS), her institution taking part in the project. One query for the members."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from network.models import Member

from .records import Author, Record
from .sources import fold

REASONS = {"orcid": _("same ORCID iD"), "name": _("same name and institution")}


@dataclass(frozen=True)
class Proposal:
    position: int
    author: Author
    member: Member
    reason: str  # "orcid" or "name"

    @property
    def reason_display(self) -> str:
        return str(REASONS[self.reason])


def _institution_names(institution) -> set[str]:
    names = {institution.name, institution.name_en, institution.short_name}
    return {fold(name) for name in names if name and len(fold(name)) >= 2}


def _named_in(institution, affiliations: tuple[str, ...]) -> bool:
    folded = [f" {fold(a)} " for a in affiliations]
    return any(f" {name} " in affiliation for name in _institution_names(institution) for affiliation in folded)


def active_members() -> list[Member]:
    return list(Member.objects.active().select_related("user", "institution").order_by())


def propose(record: Record, *, project, members: list[Member] | None = None) -> list[Proposal]:
    """One proposal at most per author, ORCID before name; a member is proposed for one author only."""
    members = active_members() if members is None else members
    by_orcid = {m.orcid: m for m in members if m.orcid}
    by_name: dict[str, list[Member]] = {}
    for member in members:
        by_name.setdefault(fold(member.user.get_full_name()), []).append(member)
    project_institutions = set(project.institutions.values_list("pk", flat=True)) | {project.lead_institution_id}
    proposals, taken = [], set()
    for position, author in enumerate(record.authors):
        member, reason = (by_orcid.get(author.orcid), "orcid") if author.orcid else (None, "")
        if member is None:
            reason = "name"
            for candidate in by_name.get(fold(author.name), []):
                if author.affiliations:
                    if _named_in(candidate.institution, author.affiliations):
                        member = candidate
                        break
                elif candidate.institution_id in project_institutions:
                    member = candidate
                    break
        if member is not None and member.pk not in taken:
            taken.add(member.pk)
            proposals.append(Proposal(position=position, author=author, member=member, reason=reason))
    return proposals
