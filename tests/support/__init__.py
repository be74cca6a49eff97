"""What tests (and only tests) need besides fixtures: importable helpers, so the root conftest.py
holds fixtures only and nothing imports a conftest as a library."""
