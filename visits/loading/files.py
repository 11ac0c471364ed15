"""Finding annotation file pairs, and reading them: only what was named, only as much as the limits allow.

A file is read only if its real path (links followed) lies inside a folder
named on the command line, or is a file named there (a named file's `.txt`
twin must lie in that file's folder): a `.txt` that is a link to
`/etc/passwd` is refused, with its name, instead of being published.
"""

from dataclasses import dataclass, field
from pathlib import Path

from .. import rules
from .limits import check_size
from .reader import Problem

SUFFIXES = (".yaml", ".yml")


@dataclass
class FileResult:
    """What loading one file did: counts per model, or the problems that stopped it."""

    path: str
    problems: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    @property
    def errors(self):
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self):
        return [p for p in self.problems if p.warning]

    @property
    def ok(self):
        return not self.errors

    def messages(self):
        return [p.format(self.path) for p in self.problems]


@dataclass
class Discovery:
    """The annotation files found under the given paths."""

    files: list = field(default_factory=list)  # .yaml paths that have a .txt twin
    skipped: list = field(default_factory=list)  # .txt files without a .yaml
    failures: list = field(default_factory=list)  # FileResults for paths that cannot be loaded


def outside(path, root):
    """Return the real path of `path` if it lies outside the folder `root` (a real path), else None."""
    real = path.resolve()
    return None if real == root or real.is_relative_to(root) else real


def find_article_files(paths):
    """Return the annotation files under `paths` (files or folders, recursively)."""
    found = Discovery()
    seen = set()

    def add_yaml(path, root):
        if path in seen:
            return
        seen.add(path)
        twin = path.with_suffix(".txt")
        if not twin.is_file():
            problem = Problem(None, "(file)", f"the article text {twin.name} is missing beside it")
            found.failures.append(FileResult(str(path), [problem]))
            return
        for member in (path, twin):
            if real := outside(member, root):
                message = (
                    f"{member.name} is a link to {real}, outside the folders and files named to the loader: not read"
                )
                found.failures.append(FileResult(str(path), [Problem(None, "(file)", message)]))
                return
        found.files.append(path)

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            root = path.resolve()
            for candidate in sorted(path.rglob("*")):
                if candidate.suffix in SUFFIXES and candidate.is_file():
                    add_yaml(candidate, root)
                elif candidate.suffix == ".txt" and not any(candidate.with_suffix(s).is_file() for s in SUFFIXES):
                    found.skipped.append(candidate)
        elif path.suffix in SUFFIXES and path.is_file():
            add_yaml(path, path.parent.resolve())
        elif path.suffix == ".txt" and path.is_file():
            yaml_twin = next((path.with_suffix(s) for s in SUFFIXES if path.with_suffix(s).is_file()), None)
            if yaml_twin:
                add_yaml(yaml_twin, path.parent.resolve())
            else:
                found.skipped.append(path)
        elif not path.exists():
            found.failures.append(FileResult(str(path), [Problem(None, "(file)", "no such file or folder")]))
        else:
            found.failures.append(
                FileResult(str(path), [Problem(None, "(file)", "not an annotation file (expected .yaml or a folder)")])
            )
    return found


def read_text(path, result, limits, limit):
    """Return (bytes, text) of a UTF-8 file within the `limit` size, or (None, None) with a problem recorded."""
    try:
        if problem := check_size(path, limits, limit):
            result.problems.append(problem)
            return None, None
        data = path.read_bytes()
    except OSError as exc:
        result.problems.append(Problem(None, "(file)", f"cannot read {path.name}: {exc.strerror}"))
        return None, None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        result.problems.append(Problem(None, "(file)", f"{path.name} is not UTF-8 (bad byte at offset {exc.start})"))
        return None, None
    if message := rules.control_character_problem(text):
        result.problems.append(Problem(None, "(file)", f"{path.name} {message}"))
        return None, None
    return data, text
