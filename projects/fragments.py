"""What the projects' pages keep in the cache (network/cache/), and what a change of a theme,
project, participation, report or output touches: declared once, read by the views, the templates
(`{% fragment %}`) and the services.

Namespaces of the projects: `project:<pk>` (its page), `report:<pk>` (a report's own view),
`projects` (the project list), `catalogue` (the results catalogue), `dashboard` (its figures and
charts), `themes` (the names of themes), `rounds` (the reporting rounds around today)."""

from meetings.models import Theme
from network import cache

from .models import ExternalPartner, Output, Participation, Project, ProjectLink, Report, ReportingRound, Uptake

PROJECT_ROW = cache.Fragment("row:project_page", ("project:{pk}", "themes", "institutions"))
_PROJECT = ("project:{project}", "themes", "institutions", "people")
PROJECT_HEAD = cache.Fragment("project_head", _PROJECT)
PROJECT_BODY = cache.Fragment("project_body", (*_PROJECT, "rounds"))  # its reports name their rounds
PROJECT_OUTPUTS = cache.Fragment("project_outputs", ("project:{project}",))
# Where the project's results were taken up: its uptake records, their institutions and outputs.
PROJECT_UPTAKE = cache.Fragment("project_uptake", ("project:{project}", "themes", "institutions"))
PROJECT_LIST = cache.Fragment("project_list", ("projects", "themes", "institutions"))
CATALOGUE = cache.Fragment("catalogue", ("catalogue", "themes", "institutions"))
# The dashboard's figures count every output, project, project's institution, report and round:
# each of those bumps `dashboard` when a service or the admin writes it, and the labels are themes'
# and institutions' names. A write past them (a bulk insert, the shell) is not seen by namespaces:
# a minute bounds how long the dashboard may miss it.
DASHBOARD_SECONDS = 60
DASHBOARD = cache.Fragment("dashboard", ("dashboard", "themes", "institutions"), seconds=DASHBOARD_SECONDS)
DASHBOARD_FIGURES = cache.Fragment(
    "dashboard:figures", ("dashboard", "themes", "institutions"), seconds=DASHBOARD_SECONDS
)
DASHBOARD_PARTICIPATION = cache.Fragment("dashboard_participation", ("participation", "institutions"))
ROUNDS_AROUND = cache.Fragment("rounds_around", ("rounds",))

# A report's state (draft, submitted) shows on its project's page, the dashboard's punctuality, the
# staff's overdue count and the participants' reports owed; its text only on its own page.
STATE_FIELDS = {"state", "submitted_at"}


def _participants(project_id: int):
    return (
        f"member:{pk}" for pk in Participation.objects.filter(project_id=project_id).values_list("member_id", flat=True)
    )


def _project(project: Project, fields):
    yield from (
        f"project:{project.pk}",
        "projects",
        "catalogue",
        "dashboard",
        f"institution:{project.lead_institution_id}",
    )
    yield from (f"institution:{pk}" for pk in project.institutions.values_list("pk", flat=True))
    yield from _participants(project.pk)  # her projects at home
    yield from _uptaking(project.pk)  # the pages of the institutions that took up its results


def _participation(participation: Participation, fields):
    yield from (f"project:{participation.project_id}", f"member:{participation.member_id}", "projects", "dashboard")
    yield f"institution:{participation.member.institution_id}"


def _report(report: Report, fields):
    yield f"report:{report.pk}"
    if fields is None or fields & STATE_FIELDS:
        yield from (f"project:{report.project_id}", "dashboard", "secretariat")
        yield from _participants(report.project_id)


def _output(output: Output, fields):
    yield from (f"project:{output.project_id}", "catalogue", "dashboard", "home")  # home: the latest results
    yield from _uptaking(output.project_id)


def _uptaking(project_id: int):
    """The institutions that took up a project's results: their pages list them (the uptake panel)."""
    ids = Uptake.objects.filter(project_id=project_id).values_list("institution_id", flat=True).distinct()
    return (f"institution:{pk}" for pk in ids)


def _uptake(uptake: Uptake, fields):
    # Its result's project page, the institution's page; the coverage page is not cached.
    yield from (f"project:{uptake.project_id}", f"institution:{uptake.institution_id}")


cache.declare(Theme, lambda theme, fields: ["themes", "projects"])
cache.declare(Project, _project)
cache.declare(Participation, _participation)
cache.declare(ExternalPartner, lambda partner, fields: [f"project:{partner.project_id}"])
cache.declare(ProjectLink, lambda link, fields: [f"project:{link.project_id}"])
cache.declare(ReportingRound, lambda round_, fields: ["rounds", "dashboard", "secretariat"])
cache.declare(Report, _report)
cache.declare(Output, _output)
cache.declare(Uptake, _uptake)
