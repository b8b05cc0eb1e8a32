"""Update the vendored YASGUI files of the query page from the npm registry.

Run it by hand from the repository root; nothing in the build or the tests runs it:

    python scripts/update_yasgui.py            # copy the version package-lock.json pins (after `npm ci`)
    python scripts/update_yasgui.py 4.6.3      # pin another version first (`npm install --save-exact`)

It copies the built JS and CSS of @zazuko/yasgui into graph/server/static/ (without the source-map
comment: the map is not shipped, and a browser must not ask for it) and writes yasgui.json there: the
version, licence and integrity from package-lock.json, the SHA-256 of each copied file, and the licence of
every package bundled into the build. tests/test_server_page.py checks the copies against that record.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "@zazuko/yasgui"
STATIC = ROOT / "graph" / "server" / "static"
FILES = {"yasgui.min.js": "build/yasgui.min.js", "yasgui.min.css": "build/yasgui.min.css"}
_SOURCE_MAP = re.compile(rb"\n?//# sourceMappingURL=\S+\s*$")


def vendored_bytes(built: bytes) -> bytes:
    """A built file as the page serves it: without the trailing source-map comment."""
    return _SOURCE_MAP.sub(b"\n", built)


def bundled(lock: dict, name: str) -> dict[str, dict[str, str]]:
    """Every package `name` depends on, transitively, with its version and licence from the lock."""
    packages, seen, todo = lock["packages"], {}, [name]
    while todo:
        current = todo.pop()
        entry = packages.get(f"node_modules/{current}")
        if entry is None or current in seen:
            continue
        seen[current] = {"version": entry["version"], "license": entry.get("license", "UNKNOWN")}
        todo.extend(entry.get("dependencies", {}))
    return dict(sorted(seen.items()))


def main(argv: list[str]) -> int:
    npm = ["npm", "--no-audit", "--no-fund", "--loglevel=error"]
    if argv:
        subprocess.run([*npm, "install", "--save-exact", f"{PACKAGE}@{argv[0]}"], cwd=ROOT, check=True)
    else:
        subprocess.run([*npm, "ci"], cwd=ROOT, check=True)
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    entry = lock["packages"][f"node_modules/{PACKAGE}"]
    source = ROOT / "node_modules" / PACKAGE
    digests = {}
    for name, built in FILES.items():
        data = vendored_bytes((source / built).read_bytes())
        (STATIC / name).write_bytes(data)
        digests[name] = hashlib.sha256(data).hexdigest()
    dependencies = bundled(lock, PACKAGE)
    dependencies.pop(PACKAGE)
    record = {
        "package": PACKAGE,
        "version": entry["version"],
        "license": entry["license"],
        "integrity": entry["integrity"],
        "source": "https://github.com/zazuko/Yasgui",
        "files": digests,
        "bundled": dependencies,
    }
    text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    (STATIC / "yasgui.json").write_text(text, encoding="utf-8")
    print(f"vendored {PACKAGE} {entry['version']} ({entry['license']}) into {STATIC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
