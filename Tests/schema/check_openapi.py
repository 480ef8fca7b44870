"""Checks that a document is a valid OpenAPI 3.1 description, against the OpenAPI 3.1 schema that
schemathesis ships and with schemathesis' own reading of it.

    check_openapi.py FILE

Exit 0: valid; prints `OpenAPI 3.1.x, N operations`. Exit 1: not valid, or not version 3.1; prints why.
Exit 2: the environment cannot check (schemathesis missing), so a pass can never be vacuous.
"""

import sys


def main(argv):
    if len(argv) != 2:
        print("usage: check_openapi.py FILE", file=sys.stderr)
        return 2
    try:
        import schemathesis
    except ImportError as error:
        print(f"cannot import schemathesis ({error}); run `make test-env`", file=sys.stderr)
        return 2
    try:
        schema = schemathesis.openapi.from_path(argv[1])
        schema.validate()
        operations = [result.ok() for result in schema.get_all_operations()]
    except Exception as error:  # any failure to read the document is the answer
        print(f"{argv[1]}: not a valid OpenAPI document: {error}")
        return 1
    version = schema.specification.version
    print(f"OpenAPI {version}, {len(operations)} operations")
    return 0 if version.startswith("3.1.") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
