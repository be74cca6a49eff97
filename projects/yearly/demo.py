"""Demo data of the yearly report: the last full year's report in Swedish, kept as the secretariat
would have it after sending it, built by the same service as the page and the command. Called by
`seed_demo` after every other seed (the report reads them all). Idempotent."""

from django.utils import timezone

from . import services
from .models import YearlyReport


def seed() -> None:
    year = timezone.localdate().year - 1
    if YearlyReport.objects.filter(year=year, language="sv", state=YearlyReport.State.DONE).exists():
        return
    try:
        services.yearly_report_request(year=year, language="sv", background=False)
    except services.YearlyReportError:  # a database without that year (the demo always has it)
        return
