"""Measure the results catalogue's response time with 10,000 outputs (a throwaway test database).

    DEBUG=true .venv/bin/python bench/catalogue.py [--outputs 10000] [--runs 20]

Creates a fresh test database (never touches the real one), fills it, requests the catalogue
(first page, a filtered and searched page, the CSV export) as a logged-in member and prints the
median and worst time and the query count of each."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kloss_site.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the results catalogue in a throwaway test database.")
    parser.add_argument("--outputs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        bench(args.outputs, args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def bench(n: int, runs: int) -> None:
    # factories are test code; this script only ever runs against a throwaway database
    from network.tests.factories import InstitutionFactory, MemberFactory
    from projects.models import Output
    from projects.tests.factories import ProjectFactory, ThemeFactory

    themes = [ThemeFactory() for _ in range(18)]
    institutions = [InstitutionFactory() for _ in range(35)]
    projects = [
        ProjectFactory(theme=themes[i % 18], lead_institution=institutions[i % 35],
                       institutions=[institutions[(i + 7) % 35]])
        for i in range(120)
    ]  # fmt: skip
    types = list(Output.Type.values)
    Output.objects.bulk_create(
        (
            Output(
                project=projects[i % len(projects)],
                type=types[i % len(types)],
                title=f"Resultat nummer {i} om samverkan",
                authors="Anna Lind, Maria Berg",
                year=2017 + i % 10,
            )
            for i in range(n)
        ),
        batch_size=2000,
    )
    client = Client()
    client.force_login(MemberFactory(institution=institutions[0]).user)
    url = reverse("projects:output_list")
    cases = [
        ("catalogue, first page", url, {}),
        ("catalogue, page 200", url, {"page": 200}),
        ("catalogue, filtered + search", url, {"theme": themes[3].pk, "year": 2020, "q": "samverkan"}),
        ("catalogue, institution filter", url, {"institution": institutions[5].pk}),
        ("dashboard", reverse("projects:dashboard"), {}),
        ("CSV export (all rows)", reverse("projects:output_export"), {"format": "csv"}),
    ]
    print(f"{Output.objects.count()} outputs, {len(projects)} projects, {runs} runs each")
    for label, path, params in cases:
        client.get(path, params)  # warm up
        timings = []
        for _ in range(runs if "export" not in label else max(3, runs // 5)):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(path, params)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (label, response.status_code)
        print(
            f"{label:<32} median {statistics.median(timings):7.1f} ms   max {max(timings):7.1f} ms"
            f"   {len(queries)} queries"
        )


if __name__ == "__main__":
    main()
