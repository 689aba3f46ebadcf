"""A plan's own `templates/` folder: read only through here, and checked by `validate`.

The folder overrides the built-in report templates file by file. It comes with the plan, so it
is as untrusted as any plan file (issue 13): a committed template must not run code (it renders
in Jinja's sandbox, see render.py) nor read a file outside the folder. So a template is read
only when it is a regular file inside `templates/` reached without a symlink on the way (a
symlinked `templates/report.css` would have copied any file, `.git/config` with a CI token
say, into the HTML), and no larger than `max_file_bytes`.

`validate` reports, for each file of the folder that differs from the built-in of its name,
what would stop or mislead the report: syntax, unknown names, unsafe constructs, size, a
symlink. This module reads the folder without Jinja; the checks that parse a template are
`render.check_template()`, imported only when a plan template differs from the built-ins
(the bundled plan's templates/ *is* the built-ins: validate stays fast).
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from sendplan.errors import SendplanError
from sendplan.findings import Finding, finding

FOLDER = "templates"
TEMPLATE_SUFFIXES = (".j2", ".css")
"""What validate checks in templates/: what templates are (a template may include any file of
the folder, read with the same care, but a README or notes there are not templates)."""
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BY_FD = os.open in os.supports_dir_fd and bool(_NO_FOLLOW)


class TemplateRefused(SendplanError):
    """A plan template that is never read: a symlink, not a regular file, or too large."""


@dataclass(frozen=True)
class PlanTemplate:
    """One file in the plan's templates/ folder, and why it cannot be used (if so)."""

    name: str
    """Its template name: the path inside templates/, `/` separators."""
    size: int
    refused: str = ""
    """Why it is never read: a symlink, or not a regular file."""

    @property
    def path(self) -> str:
        return f"{FOLDER}/{self.name}"


def _parts(name: str) -> list[str]:
    parts = name.replace("\\", "/").split("/")
    if not name or any(p in ("", ".", "..") for p in parts) or os.path.isabs(name):
        raise FileNotFoundError(name)
    return parts


def read_template(root: Path, name: str, max_bytes: int) -> str:
    """The text of `templates/<name>` in the plan at `root`.

    FileNotFoundError when there is no such file (the built-in one is used instead);
    TemplateRefused when it is there but must not be read: a symlink (the folder, a folder on
    the way, or the file), a FIFO or device, more than `max_bytes`, or not UTF-8.
    """
    parts = _parts(name)
    shown = f"{FOLDER}/{'/'.join(parts)}"
    data = _read_no_follow(root, [FOLDER, *parts], shown, max_bytes)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise TemplateRefused(f"{shown} is not UTF-8 text; save it as UTF-8") from None


def _refused(shown: str, why: str) -> TemplateRefused:
    return TemplateRefused(
        f"{shown} {why}: sendplan reads plan templates only as regular files inside "
        f"{FOLDER}/, never through a symlink (see `sendplan validate`)"
    )


def _too_large(shown: str, size: int, max_bytes: int) -> TemplateRefused:
    return TemplateRefused(
        f"{shown} is {size:,} bytes, over the {max_bytes:,}-byte limit "
        "(max_file_bytes in sendplan.yaml); not read"
    )


def _read_no_follow(root: Path, parts: list[str], shown: str, max_bytes: int) -> bytes:
    """Open each part relative to the folder before it with O_NOFOLLOW, so no symlink can be
    swapped in between looking and opening; where the system has no such calls (Windows),
    look at each part with lstat first."""
    if not _BY_FD:
        return _read_checked(root, parts, shown, max_bytes)
    directory = getattr(os, "O_DIRECTORY", 0)
    fd = os.open(root, os.O_RDONLY | directory)
    try:
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            # O_NONBLOCK: a FIFO opens at once (and is refused below) instead of blocking.
            flags = os.O_RDONLY | _NO_FOLLOW | os.O_NONBLOCK | (0 if last else directory)
            try:
                inner = os.open(part, flags, dir_fd=fd)
            except FileNotFoundError:
                raise
            except OSError as e:  # ELOOP (EMLINK on BSD): a symlink; ENOTDIR: one on the way
                if os.path.islink(os.path.join(root, *parts[: index + 1])):
                    why = "is a symlink" if last else "lies behind a symlink"
                    raise _refused(shown, why) from None
                if e.errno == errno.ENOTDIR:
                    raise FileNotFoundError(shown) from None
                raise _refused(shown, f"cannot be read ({(e.strerror or '').lower()})") from None
            os.close(fd)
            fd = inner
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _refused(shown, "is not a regular file")
        with os.fdopen(fd, "rb") as stream:
            fd = -1
            data = stream.read(max_bytes + 1)
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > max_bytes:
        raise _too_large(shown, len(data), max_bytes)
    return data


def _read_checked(root: Path, parts: list[str], shown: str, max_bytes: int) -> bytes:
    path = root
    for index, part in enumerate(parts):
        path = path / part
        if path.is_symlink():
            why = "is a symlink" if index == len(parts) - 1 else "lies behind a symlink"
            raise _refused(shown, why)
        if not path.exists():
            raise FileNotFoundError(shown)
    if not path.is_file():
        raise _refused(shown, "is not a regular file")
    data = path.read_bytes()
    if len(data) > max_bytes:
        raise _too_large(shown, len(data), max_bytes)
    return data


def list_templates(root: Path) -> list[PlanTemplate]:
    """Every file under the plan's templates/ (none when it has no such folder), without
    following a symlink; a symlink or a special file is listed with why it is refused."""
    top = root / FOLDER
    try:
        info = os.lstat(top)
    except OSError:
        return []
    if stat.S_ISLNK(info.st_mode):
        return [PlanTemplate("", 0, "is a symlink")]
    if not stat.S_ISDIR(info.st_mode):
        return []
    found: list[PlanTemplate] = []
    pending = [("", str(top))]
    while pending:
        prefix, folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            name = f"{prefix}{entry.name}"
            if entry.is_symlink():
                found.append(PlanTemplate(name, 0, "is a symlink"))
            elif entry.is_dir(follow_symlinks=False):
                pending.append((f"{name}/", entry.path))
            elif entry.is_file(follow_symlinks=False):
                found.append(PlanTemplate(name, entry.stat(follow_symlinks=False).st_size))
            else:
                found.append(PlanTemplate(name, 0, "is not a regular file"))
    return sorted(found, key=lambda t: t.name)


def built_in(name: str) -> bytes | None:
    """The bytes of the built-in template called `name`, or None when there is none."""
    if "/" in name or name.startswith(".") or name.endswith(".py"):
        return None
    from importlib.resources import files  # 10 ms at start-up: only for a plan's templates

    resource = files("sendplan.templates") / name
    try:
        return resource.read_bytes() if resource.is_file() else None
    except OSError:
        return None


def template_findings(root: Path, max_bytes: int) -> list[Finding]:
    """What `validate` reports about the plan's own templates (none without templates/).

    A file whose bytes are the built-in template of its name is the built-in: not checked
    again (and Jinja is not even imported for it).
    """
    found: list[Finding] = []
    to_check: list[tuple[PlanTemplate, str]] = []
    for template in list_templates(root):
        shown = template.path if template.name else FOLDER
        if template.refused:
            message = f"{template.refused}: sendplan never reads it; make it a regular file"
            found.append(finding("template-refused", shown, 0, 0, message))
            continue
        if template.size > max_bytes:
            message = str(_too_large("", template.size, max_bytes)).strip()
            found.append(finding("template-too-large", shown, 0, 0, message))
            continue
        try:
            text = read_template(root, template.name, max_bytes)
        except FileNotFoundError:
            continue  # gone since it was listed
        except TemplateRefused as e:
            found.append(finding("template-refused", shown, 0, 0, str(e)))
            continue
        if template.name.endswith(TEMPLATE_SUFFIXES) and text.encode("utf-8") != built_in(
            template.name
        ):
            to_check.append((template, text))
    if to_check:
        from sendplan.render import check_template  # Jinja, only for a plan's own templates

        names = {t.name for t in list_templates(root) if not t.refused}
        for template, text in to_check:
            for line, code, message in check_template(template.name, text, names):
                found.append(finding(code, template.path, line, 0, message))
    return found
