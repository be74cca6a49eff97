"""The import page (projects:output_import) and a batch job's page (projects:import_job).

One page, four actions posted to it: look a record up (then review it), search Swepub, start a
batch, save a reviewed record. Permission: adding outputs to the project (projects.add_output)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from ..views import PermissionMixin, ProjectObjectMixin
from . import matching, services, sources
from .client import SourceError, message_for
from .forms import BatchForm, ConfirmAuthorsForm, LookupForm, ReviewAuthorsForm, ReviewForm, SearchForm
from .models import ImportJob, OutputAuthor


class OutputImportView(ProjectObjectMixin, PermissionMixin, TemplateView):
    permission_required = "projects.add_output"
    template_name = "projects/importers/output_import.html"
    ACTIONS = ("lookup", "search", "batch", "save")

    def get_context_data(self, **kwargs):
        context = {
            "lookup_form": LookupForm(prefix="lookup"),
            "search_form": SearchForm(prefix="search"),
            "batch_form": BatchForm(prefix="batch"),
            "jobs": self.get_project().import_jobs.select_related("created_by").order_by("-created_at", "-pk")[:5],
            **kwargs,
        }
        return super().get_context_data(**context)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if request.POST.get("review"):  # "Review" on a Swepub search's hit: look that record up
            data = request.POST.copy()
            data["lookup-source"], data["lookup-identifier"] = "swepub", request.POST["review"]
            return self.post_lookup(request, data)
        if action not in self.ACTIONS:
            messages.error(request, _("Please choose what to do: look up, search, batch or save."))
            return redirect("projects:output_import", pk=self.get_project().pk)
        return getattr(self, f"post_{action}")(request)

    # --- One record: look it up, review it, save it ------------------------------------------

    def post_lookup(self, request, data=None):
        form = LookupForm(request.POST if data is None else data, prefix="lookup")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(lookup_form=form, active="lookup"))
        source, identifier = form.cleaned_data["source"], form.cleaned_data["identifier"]
        try:
            record = sources.fetch(source, identifier)
        except SourceError as error:
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(lookup_form=form, active="lookup"))
        duplicate = services.find_duplicate(record)
        if duplicate is not None:
            form.add_error(None, services.duplicate_message(duplicate))
            return self.render_to_response(
                self.get_context_data(lookup_form=form, duplicate=duplicate, active="lookup")
            )
        project = self.get_project()
        review = ReviewForm(
            prefix="review",
            project=project,
            initial={**services.record_fields(record), "source": record.source, "identifier": record.identifier},
        )
        authors_form = ReviewAuthorsForm(
            prefix="review", authors=record.authors, proposals=matching.propose(record, project=project)
        )
        return self.render_to_response(
            self.get_context_data(
                review_form=review,
                authors_form=authors_form,
                record=record,
                record_source=sources.source_name(record.source),
                active="review",
            )
        )

    def post_save(self, request):
        project = self.get_project()
        review = ReviewForm(request.POST, prefix="review", project=project)
        authors_form = ReviewAuthorsForm(request.POST, prefix="review")
        context = {"review_form": review, "authors_form": authors_form, "active": "review"}
        if not (review.is_valid() and authors_form.is_valid()):
            return self.render_to_response(self.get_context_data(**context))
        authors = [
            services.AuthorChoice(name=name, orcid=orcid, member=member)
            for name, orcid, member in authors_form.author_choices()
        ]
        try:
            output = services.output_import(
                project=project,
                by=request.user,
                source=review.cleaned_data["source"],
                identifier=review.cleaned_data["identifier"],
                fields=review.output_fields(),
                authors=authors,
            )
        except services.ImportRefused as refused:
            review.add_error(None, str(refused))
            return self.render_to_response(self.get_context_data(duplicate=refused.duplicate, **context))
        except services.project_services.ProjectsError as error:
            review.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(**context))
        messages.success(request, _("The output is imported."))
        return redirect(output)

    # --- Swepub search, and a batch ------------------------------------------------------------

    def post_search(self, request):
        form = SearchForm(request.POST, prefix="search")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(search_form=form, active="search"))
        institution = form.cleaned_data["institution"]
        try:
            records, total = sources.swepub_search(
                org=sources.swepub_org(institution), title=form.cleaned_data["title"]
            )
        except SourceError as error:
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(search_form=form, active="search"))
        hits = [(record, services.find_duplicate(record)) for record in records]
        if not hits:
            messages.info(
                request,
                _("Swepub has no record of %(institution)s with these words in its title.")
                % {
                    "institution": institution.display_short,
                },
            )
        return self.render_to_response(self.get_context_data(search_form=form, hits=hits, total=total, active="search"))

    def post_batch(self, request):
        data = request.POST.copy()
        selected = request.POST.getlist("selected")
        if selected:  # records chosen in a Swepub search's results
            data["batch-source"] = "swepub"
            data["batch-identifiers"] = "\n".join(selected)
        form = BatchForm(data, prefix="batch")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(batch_form=form, active="batch"))
        try:
            job = services.import_job_create(
                project=self.get_project(),
                by=request.user,
                source=form.cleaned_data["source"],
                identifiers=form.cleaned_data["identifiers"],
            )
        except services.ImportRefused as refused:
            form.add_error(None, str(refused))
            return self.render_to_response(self.get_context_data(batch_form=form, active="batch"))
        messages.success(request, _("The batch import has started: %(count)s records.") % {"count": job.items.count()})
        return redirect(job)


class ImportJobView(PermissionMixin, TemplateView):
    """A batch's progress (polled by htmx while it runs), each item's result, and the authors it
    proposes for a person to confirm once it is done."""

    permission_required = "projects.add_output"
    template_name = "projects/importers/import_job.html"

    def get_job(self) -> ImportJob:
        if not hasattr(self, "_job"):
            self._job = get_object_or_404(ImportJob.objects.select_related("project"), pk=self.kwargs["pk"])
        return self._job

    def get_permission_object(self):
        return self.get_job().project

    def get_template_names(self):
        if getattr(self.request, "htmx", False):
            return ["projects/importers/includes/_job_progress.html"]
        return [self.template_name]

    def proposals(self):
        job = self.get_job()
        if not job.is_finished:
            return []
        return list(
            OutputAuthor.objects.filter(output__source_record__job=job, proposed__isnull=False, member__isnull=True)
            .select_related("output", "proposed__user", "proposed__institution")
            .order_by("output_id", "position")
        )

    def get_context_data(self, **kwargs):
        job = self.get_job()
        items = list(job.items.select_related("output", "output__project").order_by("position"))
        for item in items:
            item.error_message = (
                message_for(item.error_code, source=sources.source_name(job.source), identifier=item.identifier)
                if item.error_code
                else ""
            )
        done = sum(1 for item in items if item.result != item.Result.PENDING)
        if "confirm_form" not in kwargs:
            kwargs["confirm_form"] = ConfirmAuthorsForm(links=self.proposals())
        return super().get_context_data(
            job=job, project=job.project, items=items, done=done, total=len(items), **kwargs
        )

    def post(self, request, *args, **kwargs):
        job = self.get_job()
        if not job.is_finished:
            messages.info(request, _("The import is still running: confirm its authors when it is done."))
            return redirect(job)
        links = self.proposals()
        if not links:
            messages.info(request, _("There are no proposed authors left to confirm."))
            return redirect(job)
        form = ConfirmAuthorsForm(request.POST, links=links)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(confirm_form=form))
        count = services.authors_confirm(
            job=job, by=request.user, author_ids=[int(v) for v in form.cleaned_data["authors"]]
        )
        messages.success(request, _("%(count)s authors confirmed.") % {"count": count})
        return redirect(job)
