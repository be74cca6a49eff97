"""`X-Query-Count`: how many SQL queries a response took, for the load benchmark (bench/run.py).

Off unless `QUERY_COUNT_HEADER=true`: production does not tell the world how its pages are made."""

from django.db import connection


class QueryCountHeaderMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response
