"""Time the original library's LMDB save and delete on this machine.

The original's LMDBRegistry writes, in one transaction per call: the MessagePack record under the id in the
`templates` database, `"id:version"` -> id in `version_index`, and `count` and `last_modified` in `metadata`
(count read, changed by one, written back). This script does exactly that with the same libraries (py-lmdb and
msgpack, Debian's python3-lmdb and python3-msgpack) and LMDB's default durable commits, on the same record the
JMH benchmarks use, so that both sides are measured on one disk.

    /usr/bin/python3 promptlightning-benchmarks/python/lmdb_write_baseline.py [--seconds 5]
"""
import argparse
import os
import shutil
import statistics
import tempfile
import time

import lmdb
import msgpack
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "src", "main", "resources", "examples", "multi-input-template.yaml")


def record(template_id, spec):
    inputs = {name: {"type": d.get("type", "string"), "required": d.get("required", True),
                     "default": d.get("default")} for name, d in (spec.get("inputs") or {}).items()}
    return {"id": template_id, "version": spec["version"], "description": spec.get("description"),
            "template": spec["template"], "inputs": inputs, "metadata": spec.get("metadata") or {}}


def save(env, dbs, rec):
    templates, versions, meta = dbs
    with env.begin(write=True) as txn:
        key = rec["id"].encode()
        txn.put(key, msgpack.packb(rec, use_bin_type=True), db=templates)
        txn.put(f"{rec['id']}:{rec['version']}".encode(), key, db=versions)
        raw = txn.get(b"count", db=meta)
        count = msgpack.unpackb(raw) if raw else 0
        txn.put(b"count", msgpack.packb(count + 1), db=meta)
        txn.put(b"last_modified", msgpack.packb(int(time.time())), db=meta)


def delete(env, dbs, rec):
    templates, versions, meta = dbs
    with env.begin(write=True) as txn:
        txn.delete(rec["id"].encode(), db=templates)
        txn.delete(f"{rec['id']}:{rec['version']}".encode(), db=versions)
        raw = txn.get(b"count", db=meta)
        count = msgpack.unpackb(raw) if raw else 0
        txn.put(b"count", msgpack.packb(max(0, count - 1)), db=meta)
        txn.put(b"last_modified", msgpack.packb(int(time.time())), db=meta)


def timed(seconds, op):
    """Per-second throughput over `seconds` one-second rounds, as ms per operation."""
    rounds = []
    for _ in range(seconds):
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < 1.0:
            op(n)
            n += 1
        rounds.append((time.perf_counter() - start) * 1000 / n)
    return statistics.mean(rounds), statistics.stdev(rounds) if len(rounds) > 1 else 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    with open(EXAMPLE) as f:
        spec = yaml.safe_load(f)
    directory = tempfile.mkdtemp(prefix="lmdb-write-baseline")
    try:
        env = lmdb.open(directory, map_size=100 * 1024 * 1024, max_dbs=10)
        dbs = (env.open_db(b"templates"), env.open_db(b"version_index"), env.open_db(b"metadata"))
        for i in range(1000):
            save(env, dbs, record(f"t{i:05d}", spec))
        timed(2, lambda n: save(env, dbs, record(f"warm{n}", spec)))  # warm-up, not reported
        results = {
            "saveNewId": timed(args.seconds, lambda n: save(env, dbs, record(f"new{n:07d}", spec))),
            "saveExistingId": timed(args.seconds, lambda n: save(env, dbs, dict(record("t00500", spec),
                                                                                 version=f"1.0.{n}"))),
            "delete+save": timed(args.seconds, lambda n: (delete(env, dbs, record("t00501", spec)),
                                                          save(env, dbs, record("t00501", spec)))),
        }
        env.close()
    finally:
        shutil.rmtree(directory)
    for name, (mean, sd) in results.items():
        print(f"{name:16s} {mean:.3f} ms/op (sd {sd:.3f} over {args.seconds} one-second rounds)")


if __name__ == "__main__":
    main()
