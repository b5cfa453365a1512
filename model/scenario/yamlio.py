"""Safe, line-numbered YAML reading.

Files are composed with PyYAML's safe loader (``CSafeLoader``, its libyaml-backed twin, when
available: the same resolver and constructors, faster) into a node tree, which is walked here into
plain Python values (dicts with str keys, lists, None, bool, int, float, str, dates) while the
1-based line of every key is recorded against its key path. Nothing is ever constructed from a tag
other than YAML's plain scalar, sequence and mapping tags, so ``!!python/...`` cannot run code.

Hostile input is bounded: files over :data:`MAX_BYTES` are not read; the event stream is scanned
(without recursion) before composing, so nesting deeper than :data:`MAX_DEPTH` or more than
:data:`MAX_NODES` values never reach the recursive composer; and documents that expand through
aliases to more than :data:`MAX_NODES` values are stopped while walking. Each ends in an
:class:`Issue` rather than a hang, a crash or exhausted memory.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

MAX_BYTES = 1024 * 1024
MAX_KEPT_BYTES = 256 * 1024
"""Files up to this size are kept once parsed (16 at most; assumptions.yaml is about 40 KB)."""
MAX_DEPTH = 50
MAX_NODES = 100_000
MAX_ISSUES = 1_000
"""Reading or checking a file stops after this many problems in it: a file of thousands of bad
keys is not a scenario file, and this bounds the time it takes and the length of the report."""
MAX_SHOWN = 60
"""Longest piece of a file's own text (a value, a key) quoted in a message; longer ones are cut."""
_FLOAT_MAX_INT = 2 ** 1024
"""Integers this large or larger do not fit a float (the model's numbers) and are refused."""

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_YAML + name for name in ("null", "bool", "int", "float", "str", "timestamp")}
_MAP_TAG = _YAML + "map"
_SEQ_TAG = _YAML + "seq"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

KeyPath = tuple[str, ...]


@dataclass(frozen=True)
class Issue:
    """One problem in an input file.

    ``file`` is a display path, ``line`` 1-based (None when YAML gives none), ``path`` the dotted
    key path ('' for the whole file), ``message`` what is wrong and how to fix it.
    """

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.path:
            where = f"{where}, {self.path}"
        return printable(f"{where} | {self.message}")


def printable(text: str) -> str:
    """``text`` on one line with control characters shown as escapes (``\\n``, ``\\x1b``), so that
    text from a file (a key, a value) can neither break the one-issue-per-line format nor send
    escape sequences to a terminal."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def shorten(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` cut to ``limit`` characters (with '…' and the full length) for a message."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


@dataclass(frozen=True)
class Document:
    """A YAML file read into plain values.

    ``lines`` maps every key path (a tuple of keys; list items are their index as a str) to the
    1-based line of its key. ``broken`` holds the key paths whose values were dropped because
    of an Issue already reported (so later checks do not report them again as missing).
    ``quoted`` holds the key paths of values written in quotes, and ``booleans`` the text of
    values YAML read as true or false (``off``, ``yes``), so that messages can say what was
    written rather than what YAML made of it.
    """

    file: str
    data: object
    lines: dict[KeyPath, int]
    broken: frozenset[KeyPath] = field(default_factory=frozenset)
    quoted: frozenset[KeyPath] = field(default_factory=frozenset)
    booleans: dict[KeyPath, str] = field(default_factory=dict)

    def line(self, parts: KeyPath) -> int | None:
        """The line of ``parts``, or of its nearest ancestor that has one."""
        for end in range(len(parts), -1, -1):
            if parts[:end] in self.lines:
                return self.lines[parts[:end]]
        return None


def dotted(parts: KeyPath) -> str:
    """Display form of a key path: keys joined with '.'."""
    return ".".join(parts)


def read_yaml(path: Path, display: str) -> tuple[Document | None, list[Issue]]:
    """Read the YAML file ``path``, naming it ``display`` in issues.

    Returns the document (None when the file cannot be read at all) and every issue found.
    """
    try:
        raw = read_limited(path, MAX_BYTES)
    except ReadProblem as problem:
        fix = {"too_big": "Scenario files are small; check it is the right file.",
               "not_a_file": "Give the path of a YAML file."}.get(problem.kind, "Check the path and permissions.")
        return None, [_file_issue(display, f"{problem.message}. {fix}")]
    if len(raw) > MAX_KEPT_BYTES:
        return _parsed(raw, display)
    document, issues = _parsed_file(raw, display)
    return document, list(issues)


@lru_cache(maxsize=16)
def _parsed_file(raw: bytes, display: str) -> tuple[Document | None, tuple[Issue, ...]]:
    """The file of bytes ``raw`` parsed, kept by content: a command that loads several scenarios
    reads ``assumptions.yaml`` once for each (every chain ends in it) and parses it once. Keyed
    by the bytes, so a file changed on disk is parsed afresh; callers never change a Document."""
    document, issues = _parsed(raw, display)
    return document, tuple(issues)


def _parsed(raw: bytes, display: str) -> tuple[Document | None, list[Issue]]:
    """The bytes of a file decoded as UTF-8 and parsed (see :func:`read_yaml`)."""
    text, issue = decode_utf8(raw, display)
    if issue:
        return None, [issue]
    return parse_yaml(text, display)


class ReadProblem(Exception):
    """Why a file could not be read; ``kind`` is 'unreadable', 'not_a_file' or 'too_big'."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind, self.message = kind, message


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``; raises ReadProblem when it cannot be read, is not a
    regular file or holds more than ``limit`` bytes.

    Never blocks on a pipe or device (the file is opened non-blocking and must be a regular file)
    and never reads more than ``limit + 1`` bytes, whatever size the file claims (/proc files
    claim 0).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError) as err:
        raise ReadProblem("unreadable", f"cannot read the file ({_reason(err)})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReadProblem("not_a_file", f"the path is {file_kind(info.st_mode)}, not a file")
        if info.st_size > limit:
            raise ReadProblem("too_big", f"the file is {info.st_size:,} bytes, over the limit of {limit:,}")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, limit + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as err:
        raise ReadProblem("unreadable", f"cannot read the file ({_reason(err)})") from None
    finally:
        os.close(fd)
    if total > limit:
        raise ReadProblem("too_big", f"the file is over the limit of {limit:,} bytes")
    return b"".join(chunks)


def file_kind(mode: int) -> str:
    """What a path whose ``st_mode`` is ``mode`` is, in words ('a folder', 'a named pipe (FIFO)')."""
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISREG, "a file"))
    return next((name for test, name in kinds if test(mode)), "not a file")


def _reason(err: OSError | ValueError) -> str:
    """Why an OS call failed, in words."""
    if isinstance(err, ValueError):
        return "the path holds a character no path may hold"
    return err.strerror or type(err).__name__


def decode_utf8(raw: bytes, display: str) -> tuple[str, Issue | None]:
    """Decode ``raw`` as UTF-8 text (a leading byte-order mark is allowed).

    Returns the text, or '' and an Issue naming the line of the first bad byte.
    """
    wide = _wide_encoding(raw)
    if wide:
        return "", Issue(display, None, "", f"the file is {wide} text; scenario files must be UTF-8. Save it again as "
                                            "UTF-8 (in Notepad or Excel: Save As, Encoding UTF-8).")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return "", Issue(display, line, "", "the file is binary, not text. Give a YAML text file saved as UTF-8.")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return "", Issue(display, line, "", f"the file is not UTF-8 text (byte 0x{raw[err.start]:02x} cannot be read). "
                                            "Save it as UTF-8.")


def _wide_encoding(raw: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' when ``raw`` is text in one of them (by its byte-order mark, or by the
    zero bytes that ASCII characters carry in them), else None."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    sample = raw[:400]
    if len(sample) >= 8 and b"\x00" in sample:  # ASCII in UTF-16 or UTF-32 carries zero bytes
        for width, name in ((4, "UTF-32"), (2, "UTF-16")):
            zeros = sum(sample[i:i + width].count(0) == width - 1 for i in range(0, len(sample) - width + 1, width))
            if zeros >= 0.9 * (len(sample) // width):
                return name
    return None


def parse_yaml(text: str, display: str) -> tuple[Document | None, list[Issue]]:
    """Parse YAML ``text`` from the file ``display`` into a :class:`Document` and its issues."""
    loader = _LOADER(text)
    try:
        too_big = _prescan(text, display)
        if too_big:
            return None, [too_big]
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        return None, [_syntax_issue(display, err, text)]
    except yaml.reader.ReaderError as err:
        line = text[: err.position].count("\n") + 1
        return None, [Issue(display, line, "", f"the file holds a character YAML does not allow ({err.reason}, "
                                               f"#x{err.character:04x}). Remove it.")]
    finally:
        loader.dispose()
    if node is None:
        return None, [_file_issue(display, "the file is empty. Write the keys of a scenario in it, "
                                           "starting with `extends: base` for a scenario.")]
    walker = _Walker(display, loader)
    try:
        data = walker.walk(node, (), 0)
    except _TooMany:
        return None, [*walker.issues, too_many_issues(display)]
    except _TooBig as err:
        return None, [Issue(display, err.line, dotted(err.parts[:1]), err.message)]
    document = Document(display, data, walker.lines, frozenset(walker.broken), frozenset(walker.quoted),
                        walker.booleans)
    return document, walker.issues


def _prescan(text: str, display: str) -> Issue | None:
    """An Issue if the event stream nests deeper than MAX_DEPTH or holds more than MAX_NODES events."""
    depth = 0
    for count, event in enumerate(yaml.parse(text, Loader=_LOADER), 1):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        assert event.start_mark is not None  # the parser marks every event it makes
        line = event.start_mark.line + 1
        if depth > MAX_DEPTH:
            return Issue(display, line, "", f"the file nests more than {MAX_DEPTH} levels deep. Flatten it; "
                                            "scenario files nest a few levels.")
        if count > MAX_NODES:
            return Issue(display, line, "", f"the file holds more than {MAX_NODES:,} values. Scenario files are "
                                            "small; check it is the right file.")
    return None


class _TooBig(Exception):
    """The document is too deep or expands to too many values; reading stops."""

    def __init__(self, line: int, parts: KeyPath, message: str) -> None:
        super().__init__(message)
        self.line, self.parts, self.message = line, parts, message


class _TooMany(Exception):
    """The file has more than MAX_ISSUES problems; reading stops."""


def too_many_issues(display: str) -> Issue:
    """The issue that ends the report on a file with more than MAX_ISSUES problems."""
    return Issue(display, None, "", f"more than {MAX_ISSUES:,} problems; checking stopped there. Is this a scenario "
                                    "file? Correct the problems listed and check it again.")


_DROP = object()
"""What the walker returns for a node it has reported and dropped."""


class _Walker:
    """Turns a composed node tree into plain values, recording lines and collecting issues."""

    def __init__(self, display: str, loader: yaml.SafeLoader) -> None:
        self.display = display
        self.loader = loader
        self.lines: dict[KeyPath, int] = {}
        self.issues: list[Issue] = []
        self.broken: set[KeyPath] = set()
        self.quoted: set[KeyPath] = set()
        self.booleans: dict[KeyPath, str] = {}
        self.visited = 0

    def walk(self, node: yaml.Node, parts: KeyPath, depth: int) -> object:
        """The plain value of ``node`` at key path ``parts``, nested ``depth`` deep."""
        line = node.start_mark.line + 1
        self.lines.setdefault(parts, line)
        self.visited += 1
        if self.visited > MAX_NODES:
            raise _TooBig(line, parts, f"the file expands to more than {MAX_NODES:,} values (through YAML "
                                       "aliases `*name`?). Write the values out; scenario files are small.")
        if depth > MAX_DEPTH:
            raise _TooBig(line, parts, f"the file nests more than {MAX_DEPTH} levels deep (a recursive alias?). "
                                       "Flatten it; scenario files nest a few levels.")
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG:
            return self._mapping(node, parts, depth)
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
            items = (self.walk(item, (*parts, str(i)), depth + 1) for i, item in enumerate(node.value))
            return [item for item in items if item is not _DROP]
        if isinstance(node, yaml.ScalarNode) and node.tag in _SCALAR_TAGS:
            return self._scalar(node, parts)
        self._drop(parts, line, _tag_message(node.tag))
        return _DROP

    def _mapping(self, node: yaml.MappingNode, parts: KeyPath, depth: int) -> dict[str, object]:
        """The dict of a mapping node; duplicate and non-text keys are reported."""
        out: dict[str, object] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self._drop(parts, line, "a key must be a plain word, not a list or mapping. Write the key as text.")
                continue
            if key_node.tag not in _SCALAR_TAGS:
                self._drop((*parts, key_node.value), line, _tag_message(key_node.tag))
                continue
            key = key_node.value
            if key in first_line:
                self._add(Issue(self.display, line, dotted((*parts, key)),
                                f"duplicate key '{shorten(key)}' (first at line {first_line[key]}, again at line "
                                f"{line}). Keep one of them."))
                self.broken.add((*parts, key))
                continue
            first_line[key] = line
            self.lines[(*parts, key)] = line
            value = self.walk(value_node, (*parts, key), depth + 1)
            if value is not _DROP:
                out[key] = value
        return out

    def _scalar(self, node: yaml.ScalarNode, parts: KeyPath) -> object:
        """A scalar built by the SafeLoader's own constructor for its (already allowed) tag.

        Integers too large for a float are refused here, so later checks never meet one (Python
        cannot even print an integer of more than 4,300 digits).
        """
        line = node.start_mark.line + 1
        try:
            value = self.loader.construct_object(node)
        except Exception as err:  # noqa: BLE001 - PyYAML's constructors raise many kinds ('!!bool maybe': KeyError)
            detail = _one_line(str(err)) if isinstance(err, (ValueError, yaml.YAMLError)) else \
                f"not a valid {node.tag.rpartition(':')[2]}"
            self._drop(parts, line, f"cannot read '{shorten(node.value)}' ({shorten(detail, 200)}). "
                                    "Quote it or correct it.")
            return _DROP
        if node.style in ("'", '"'):
            self.quoted.add(parts)
        if isinstance(value, bool):
            self.booleans[parts] = node.value
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _FLOAT_MAX_INT:
            self._drop(parts, line, f"the number '{shorten(node.value)}' is too large to calculate with (more than "
                                    "about 1.8e308). Check it; the model's figures are far smaller.")
            return _DROP
        return value

    def _drop(self, parts: KeyPath, line: int, message: str) -> None:
        """Report an issue at ``parts`` and remember that its value was dropped."""
        self._add(Issue(self.display, line, dotted(parts), message))
        self.broken.add(parts)

    def _add(self, issue: Issue) -> None:
        """Report ``issue``; stop reading when the file has had too many."""
        if len(self.issues) >= MAX_ISSUES:
            raise _TooMany
        self.issues.append(issue)


def _tag_message(tag: str) -> str:
    """The message for a node carrying a tag that is not allowed."""
    if tag == _YAML + "merge":
        return ("YAML merge keys (<<) are not supported. Use `extends:` to start from another scenario, "
                "or write the keys out.")
    shown = "!!" + tag[len(_YAML):] if tag.startswith(_YAML) else tag
    return f"the tag '{shown}' is not allowed. Remove it: write plain numbers, text, lists and mappings."


def _syntax_issue(display: str, err: yaml.MarkedYAMLError, text: str) -> Issue:
    """An Issue for a YAML syntax error in ``text``, at the line PyYAML marks (a tab that YAML
    refuses is named as such)."""
    mark = err.problem_mark or err.context_mark
    if mark is not None and "\t" in (text.splitlines()[mark.line:mark.line + 1] or [""])[0][:mark.column + 1]:
        return Issue(display, None if mark is None else mark.line + 1, "",
                     "a tab is used to indent or space out this line; YAML allows only spaces there. Replace the "
                     "tabs with spaces (two per level).")
    detail = "; ".join(_one_line(part) for part in (err.context, err.problem) if part)
    return Issue(display, None if mark is None else mark.line + 1, "",
                 f"not valid YAML: {detail}. Check the indentation, colons and quotes on this line and the one before.")


def _file_issue(display: str, message: str) -> Issue:
    """An Issue about the whole file."""
    return Issue(display, None, "", message)


def _one_line(text: str) -> str:
    """``text`` with its whitespace runs collapsed to single spaces."""
    return " ".join(text.split())
