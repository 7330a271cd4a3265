#!/usr/bin/env python3
"""The site's shell inside the `folio` binary (indexer/shell/, embedded by indexer/build.rs).

The shell is every file of the site but the index and the service worker: the explorer's
page, wasm, JS and CSS, the widget's script, the embed demo, the worker's template. It is
built by trunk from app/ (`make shell`) and committed, so that `cargo install --path
indexer` gives a `folio site` that works on a machine without trunk, wasm-bindgen or a
wasm target. SOURCES records a hash of the sources it was built from.

  scripts/shell.py vendor BUILT   copy trunk's output BUILT into indexer/shell/, stamp it
  scripts/shell.py check          fail if indexer/shell/ is older than its sources
"""

import pathlib
import shutil
import sys

root = pathlib.Path(__file__).resolve().parent.parent
shell = root / "indexer" / "shell"
REQUIRED = ["index.html", "folio-embed.js", "sw.template.js"]

# What the shell is built from: the app (not its tests or examples), the engine's code,
# the files copied into the site, the lock file and workspace profiles, the build hook.
SOURCE_DIRS = ["app/src", "engine/src", "public"]
SOURCE_FILES = [
    "app/Cargo.toml", "app/Trunk.toml", "app/index.html", "app/style.css", "app/embed.js",
    "app/embed.css", "app/sw.js", "engine/Cargo.toml", "Cargo.toml", "Cargo.lock",
    "scripts/post-build.py",
]


def fnv64(data: bytes, h: int = 0xCBF29CE484222325) -> int:
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def sources_hash() -> str:
    files = [root / f for f in SOURCE_FILES]
    for d in SOURCE_DIRS:
        files += [p for p in (root / d).rglob("*") if p.is_file()]
    h = 0xCBF29CE484222325
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        rel = path.relative_to(root).as_posix().encode()
        # Hashing the content's own hash keeps this fast in Python for the wasm-sized inputs.
        h = fnv64(rel + b"\0" + fnv64(path.read_bytes()).to_bytes(8, "little"), h)
    return f"{h:016x}"


def vendor(built: pathlib.Path) -> None:
    missing = [f for f in REQUIRED if not (built / f).is_file()]
    if missing:
        sys.exit(f"shell: {built} lacks {', '.join(missing)}: is it trunk's output with the post-build hook?")
    if shell.exists():
        shutil.rmtree(shell)
    shell.mkdir(parents=True)
    for path in sorted(built.iterdir()):
        if path.is_dir():
            sys.exit(f"shell: {path} is a folder; the shell is flat")
        shutil.copy2(path, shell / path.name)
    (shell / "SOURCES").write_text(
        f"{sources_hash()}\n# fnv-1a 64 of the sources the files beside this one were built from "
        "(scripts/shell.py)\n"
    )
    print(f"shell: {len(list(built.iterdir()))} files in {shell.relative_to(root)}")


def check() -> None:
    stamp = shell / "SOURCES"
    if not stamp.is_file():
        sys.exit(f"shell: {stamp.relative_to(root)} is missing: run `make shell` and commit indexer/shell/")
    recorded = stamp.read_text().split()[0]
    now = sources_hash()
    if recorded != now:
        sys.exit(
            f"shell: indexer/shell/ was built from other sources ({recorded}, now {now}): "
            "run `make shell` and commit indexer/shell/, or `folio site` ships an old app"
        )
    missing = [f for f in REQUIRED if not (shell / f).is_file()]
    if missing:
        sys.exit(f"shell: indexer/shell/ lacks {', '.join(missing)}: run `make shell`")
    print(f"shell: indexer/shell/ is built from the current sources ({now})")


if __name__ == "__main__":
    if sys.argv[1:2] == ["vendor"] and len(sys.argv) == 3:
        vendor(pathlib.Path(sys.argv[2]))
    elif sys.argv[1:] == ["check"]:
        check()
    else:
        sys.exit(__doc__)
