#!/usr/bin/python3
"""Reads an LMDB database written by our LmdbRegistry the way the original Python library does, and prints
what it finds as JSON (the input of LmdbRegistryTest.writesExactlyWhatTheOriginalWasShownToRead).

Run (Debian: apt-get install python3-lmdb python3-msgpack):
  mvn -pl promptlightning-core -am test -Dtest='LmdbRegistryTest#writesExactly*' \
      -Dpromptlightning.lmdb.roundtripDir=/tmp/roundtrip-db -Dsurefire.failIfNoSpecifiedTests=false
  /usr/bin/python3 read_with_python.py /tmp/roundtrip-db > roundtrip.python.json
(after a deliberate change of what we write, that test fails until this file is regenerated; it writes the
database before comparing.)

The original (LMDBRegistry) opens the environment with max_dbs=10, reads records with
msgpack.unpackb(value, raw=False, strict_map_key=False) and validates them into its pydantic TemplateSpec; the
checks of that model are repeated here (field names and kinds, the five input types), since the original
package itself is not installed.
"""
import json
import sys

import lmdb
import msgpack

FIELDS = ["id", "version", "description", "template", "inputs", "metadata"]
ORIGINAL_TYPES = {"string", "number", "boolean", "array<string>", "object"}


def model_errors(key, data):
    errors = []
    if not isinstance(data, dict):
        return [f"{key}: not a dict"]
    if list(data.keys()) != FIELDS:
        errors.append(f"{key}: fields {list(data.keys())}")
    if data.get("id") != key:
        errors.append(f"{key}: id {data.get('id')!r}")
    for field in ("id", "version", "template"):
        if not isinstance(data.get(field), str):
            errors.append(f"{key}: {field} is not a str")
    if data.get("description") is not None and not isinstance(data["description"], str):
        errors.append(f"{key}: description")
    if not isinstance(data.get("metadata"), dict):
        errors.append(f"{key}: metadata")
    for name, spec in (data.get("inputs") or {}).items():
        if not isinstance(name, str) or not isinstance(spec, dict):
            errors.append(f"{key}: input {name!r}")
            continue
        if spec.get("type") not in ORIGINAL_TYPES:
            errors.append(f"{key}: input {name!r} has type {spec.get('type')!r}")
        if not isinstance(spec.get("required"), bool):
            errors.append(f"{key}: input {name!r} required")
    return errors


def main(path):
    env = lmdb.open(path, max_dbs=10, readonly=True)
    templates_db = env.open_db(b"templates", create=False)
    index_db = env.open_db(b"version_index", create=False)
    metadata_db = env.open_db(b"metadata", create=False)
    out = {"list_ids": [], "templates": {}, "version_index": {}, "get_by_version": {}, "get_metadata": {},
           "original_model_errors": []}
    with env.begin() as txn:
        for key, value in txn.cursor(db=templates_db):
            template_id = key.decode("utf-8")
            out["list_ids"].append(template_id)
            data = msgpack.unpackb(value, raw=False, strict_map_key=False)
            out["templates"][template_id] = {"raw": bytes(value).hex(), "record": data}
            out["original_model_errors"] += model_errors(template_id, data)
            found = txn.get(f"{template_id}:{data['version']}".encode("utf-8"), db=index_db)
            out["get_by_version"][template_id] = found.decode("utf-8") if found is not None else None
        for key, value in txn.cursor(db=index_db):
            out["version_index"][key.decode("utf-8")] = value.decode("utf-8")
        count = txn.get(b"count", db=metadata_db)
        modified = txn.get(b"last_modified", db=metadata_db)
        out["get_metadata"]["count"] = msgpack.unpackb(count, raw=False)
        out["get_metadata"]["last_modified_type"] = type(msgpack.unpackb(modified, raw=False)).__name__
    for template_id, found in out["get_by_version"].items():
        if found != template_id:
            out["original_model_errors"].append(f"{template_id}: get_by_version gives {found!r}")
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
