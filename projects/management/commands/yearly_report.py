"""`python manage.py yearly_report --year YYYY --language sv|en`: the network's yearly report, built
now (the page builds the same in the background) and kept like the page's; prints where."""

import time

from django.core.management.base import BaseCommand, CommandError

from projects.yearly import services


class Command(BaseCommand):
    help = "Generate the network's yearly report (PDF and Word) for a year, in Swedish or English, and keep it."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="The year, e.g. 2025.")
        parser.add_argument("--language", required=True, help="sv or en.")
        parser.add_argument("--output", help="Also write the PDF to this path.")

    def handle(self, *args, year, language, output=None, **options):
        began = time.monotonic()
        try:
            report = services.yearly_report_request(year=year, language=language, background=False)
        except services.YearlyReportError as error:
            raise CommandError(str(error)) from error
        if report.state != report.State.DONE:
            raise CommandError(f"The report could not be generated: {report.error}")
        if output:
            with report.pdf.open("rb") as source, open(output, "wb") as target:
                target.write(source.read())
        seconds = time.monotonic() - began
        self.stdout.write(f"PDF:  {report.pdf.path}")
        self.stdout.write(f"Word: {report.docx.path}")
        self.stdout.write(self.style.SUCCESS(f"Yearly report {year} ({language}) generated in {seconds:.2f} s."))
