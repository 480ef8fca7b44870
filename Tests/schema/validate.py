"""Validates JSON documents against a JSON Schema (draft 2020-12) with the jsonschema package.

    validate.py SCHEMA FILE...

Exit 0: every file is valid. Exit 1: at least one is not; each error is printed as
`FILE: PATH: MESSAGE`. Exit 2: the schema itself is invalid, or the environment cannot check it
(missing package, `format: date-time` not checkable), so a pass can never be vacuous.
"""

import json
import sys


def main(argv):
    if len(argv) < 3:
        print("usage: validate.py SCHEMA FILE...", file=sys.stderr)
        return 2
    try:
        import jsonschema
        from jsonschema import Draft202012Validator, FormatChecker
    except ImportError as error:
        print(f"cannot import jsonschema ({error}); run `make test-env`", file=sys.stderr)
        return 2
    checker = FormatChecker()
    if "date-time" not in checker.checkers:
        print("jsonschema cannot check format date-time: install rfc3339-validator", file=sys.stderr)
        return 2

    with open(argv[1], encoding="utf-8") as file:
        schema = json.load(file)
    try:
        Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as error:
        print(f"{argv[1]}: not a valid draft 2020-12 schema: {error.message}", file=sys.stderr)
        return 2
    validator = Draft202012Validator(schema, format_checker=checker)

    invalid = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
        errors = sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path))
        if not errors:
            continue
        invalid += 1
        for error in errors:
            for line in describe(error):
                print(f"{path}: {line}")
    if invalid:
        print(f"{invalid} of {len(argv) - 2} documents invalid")
        return 1
    print(f"{len(argv) - 2} documents valid")
    return 0


def describe(error):
    """One line per leaf error. A `oneOf` over delivery kinds reports only the branches whose
    `kind` matched the document's, so that the message names the real problem."""
    if error.validator == "oneOf" and error.context:
        branches = {}
        for sub in error.context:
            branches.setdefault(sub.schema_path[0], []).append(sub)
        relevant = [subs for subs in branches.values() if not any(is_kind_mismatch(sub) for sub in subs)]
        if relevant:
            return [line for subs in relevant for sub in subs for line in describe(sub)]
    location = "/".join(str(part) for part in error.absolute_path) or "(root)"
    return [f"{location}: {error.message}"]


def is_kind_mismatch(error):
    return list(error.relative_path) == ["kind"] and error.validator == "const"


if __name__ == "__main__":
    sys.exit(main(sys.argv))
