"""EXPLAIN ANALYZE of every SQL query the key pages run when their fragments are built ("cold"),
on the benchmark's database: the plan's indexes and the time PostgreSQL took. Run by bench/run.py
(`--explain`), with the server's environment; prints one line per query and writes var/bench/explain-K<K>.txt.

    DATABASE_URL=... REDIS_URL=... python bench/explain.py K
"""

import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kloss_site.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from network.models import Member  # noqa: E402


def explain(sql: str, params) -> tuple[float, list[str], str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
    nodes, indexes = [plan["Plan"]], []
    while nodes:
        node = nodes.pop()
        if "Index Name" in node:
            indexes.append(f"{node['Node Type']} {node['Index Name']}")
        nodes.extend(node.get("Plans", []))
    top = plan["Plan"]["Node Type"]
    return plan["Execution Time"], sorted(set(indexes)), top


def main() -> None:
    scale, pages = sys.argv[1], json.loads(sys.argv[2])
    user = Member.objects.get(user__email="anna.lind@kth.example.org").user
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="sv", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user, backend="network.backends.ModelBackend")
    lines = [f"EXPLAIN ANALYZE of the cold queries of the key pages, K = {scale}", ""]
    for name, path in pages.items():
        cache.clear()  # the benchmark's own cache database: every fragment is built again
        captured = []

        def record(execute, sql, params, many, context, captured=captured):
            captured.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            status = client.get(path, secure=True).status_code
        if status != 200:
            sys.exit(f"bench/explain.py: {name} ({path}) answered {status}")
        lines.append(f"{name} ({path}): {len(captured)} queries")
        for sql, params in captured:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            ms, indexes, top = explain(sql, params)
            table = re.search(r'FROM "(\w+)"', sql)
            lines.append(
                f"  {ms:7.3f} ms  {table.group(1) if table else '?':<32} {top:<14} {', '.join(indexes) or 'no index'}"
            )
        lines.append("")
    text = "\n".join(lines)
    print(text)
    (ROOT / "var" / "bench" / f"explain-K{scale}.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()
