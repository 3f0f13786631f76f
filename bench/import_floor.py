"""The floor of an import: read a LinkedIn Connections.csv with the csv module, make a record of
each row, and write them all durably as JSON (orjson, then fsync). What any importer must do.

Usage: python bench/import_floor.py Connections.csv OUT.json
"""

import csv
import io
import os
import sys

import orjson

with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    text = f.read()
start = text.index("First Name,")
rows = [
    {
        "name": f"{r['First Name']} {r['Last Name']}",
        "first_name": r["First Name"],
        "last_name": r["Last Name"],
        "urls": [r["URL"]],
        "emails": [r["Email Address"]] if r["Email Address"] else [],
        "company": r["Company"],
        "title": r["Position"],
        "connected_on": r["Connected On"],
    }
    for r in csv.DictReader(io.StringIO(text[start:]))
]
fd = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.write(fd, orjson.dumps({str(i): row for i, row in enumerate(rows, 1)}))
os.fsync(fd)
os.close(fd)
