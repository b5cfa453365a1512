"""Safe, line-numbered YAML reading (model.scenario.yamlio)."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest

from model.scenario.yamlio import MAX_BYTES, MAX_DEPTH, MAX_NODES, Issue, parse_yaml, read_yaml
from tests.fixtures import INVALID


def parsed(text: str):
    """The document and issues of YAML ``text`` read as 'x.yaml'."""
    return parse_yaml(text, "x.yaml")


def test_scalars_are_built_by_the_safe_loader() -> None:
    doc, issues = parsed("a: 0.3\nb: true\nc: null\nd: 12\ne: 2025/26\nf: 2023-07\ng: 2023-07-01\nh: '0.3'\n")
    assert issues == []
    assert doc.data == {"a": 0.3, "b": True, "c": None, "d": 12, "e": "2025/26", "f": "2023-07",
                        "g": datetime.date(2023, 7, 1), "h": "0.3"}


def test_every_key_path_has_its_line() -> None:
    doc, _ = parsed("top:\n  inner:\n    leaf: 1\n  items:\n    - a\n    - {k: 2}\n")
    assert doc.lines[("top",)] == 1
    assert doc.lines[("top", "inner", "leaf")] == 3
    assert doc.lines[("top", "items", "1", "k")] == 6
    assert doc.line(("top", "inner", "leaf", "not", "there")) == 3


def test_keys_are_the_text_written() -> None:
    doc, _ = parsed("2023: 1\nyes: 2\n2025/26: 3\n")
    assert list(doc.data) == ["2023", "yes", "2025/26"]


def test_duplicate_key_names_both_lines() -> None:
    doc, issues = read_yaml(INVALID / "duplicate_key.yaml", "duplicate_key.yaml")
    assert len(issues) == 1
    assert issues[0].line == 6 and issues[0].path == "workforce.turnover_rate"
    assert "line 4" in issues[0].message and "line 6" in issues[0].message and "Keep one" in issues[0].message
    assert ("workforce", "turnover_rate") in doc.broken


def test_python_tag_is_refused_and_never_run(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    doc, issues = parsed(f"a: 1\nb: !!python/object/apply:builtins.open ['{target}', 'w']\n")
    assert not target.exists()
    assert [(i.line, i.path) for i in issues] == [(2, "b")]
    assert "'!!python/object/apply:builtins.open' is not allowed" in issues[0].message
    assert doc.data == {"a": 1}


@pytest.mark.parametrize("text, shown", [("a: !foo 1\n", "!foo"), ("a: !!binary aGk=\n", "!!binary"),
                                         ("a: !!set {x: null}\n", "!!set")])
def test_unknown_tags_are_issues(text: str, shown: str) -> None:
    _, issues = parsed(text)
    assert len(issues) == 1 and issues[0].line == 1 and f"'{shown}'" in issues[0].message


def test_merge_keys_are_refused_with_a_pointer_to_extends() -> None:
    _, issues = parsed("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert [(i.line, i.path) for i in issues] == [(3, "other.<<")]
    assert "extends" in issues[0].message


def test_alias_bomb_ends_quickly_in_an_issue() -> None:
    started = time.perf_counter()
    doc, issues = read_yaml(INVALID / "alias_bomb.yaml", "alias_bomb.yaml")
    assert time.perf_counter() - started < 5
    assert doc is None and len(issues) == 1
    assert "100,000 values" in issues[0].message and "aliases" in issues[0].message


def test_recursive_alias_is_stopped_by_the_depth_limit() -> None:
    doc, issues = parsed("a: &a [*a]\n")
    assert doc is None and f"more than {MAX_DEPTH} levels" in issues[0].message
    assert issues[0].path == "a"


def test_deep_nesting_is_refused() -> None:
    text = "".join("  " * depth + f"k{depth}:\n" for depth in range(MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "x: 1\n"
    doc, issues = parsed(text)
    assert doc is None and "levels deep" in issues[0].message


def test_too_many_values_are_refused_before_composing() -> None:
    doc, issues = parsed("a: [" + ", ".join(["1"] * (MAX_NODES + 1)) + "]\n")
    assert doc is None and f"more than {MAX_NODES:,} values" in issues[0].message


def test_control_character_names_its_line() -> None:
    doc, issues = parsed("a: 1\nb: \"\x07\"\n")
    assert doc is None and issues[0].line == 2 and "#x0007" in issues[0].message


def test_big_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: 1\n" + "# padding\n" * (MAX_BYTES // 10 + 1))
    doc, issues = read_yaml(path, "big.yaml")
    assert doc is None and "over the limit" in issues[0].message


def test_non_utf8_names_the_line_of_the_bad_byte() -> None:
    doc, issues = read_yaml(INVALID / "not_utf8.yaml", "not_utf8.yaml")
    assert doc is None
    assert issues == [Issue("not_utf8.yaml", 3, "", "the file is not UTF-8 text (byte 0xe9 cannot be read). "
                                                    "Save it as UTF-8.")]


def test_binary_file_is_an_issue(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_bytes(b"a: 1\n\x00\x01\x02")
    doc, issues = read_yaml(path, "b.yaml")
    assert doc is None and issues[0].line == 2 and "binary" in issues[0].message


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: 1\n".encode("utf-8"))
    doc, issues = read_yaml(path, "bom.yaml")
    assert issues == [] and doc.data == {"a": 1}


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_empty_file_is_an_issue(text: str) -> None:
    doc, issues = parsed(text)
    assert doc is None and "empty" in issues[0].message and "extends: base" in issues[0].message


def test_empty_fixture_file() -> None:
    doc, issues = read_yaml(INVALID / "empty.yaml", "empty.yaml")
    assert doc is None and issues[0].file == "empty.yaml" and "empty" in issues[0].message


def test_syntax_error_names_its_line() -> None:
    doc, issues = parsed("a: 1\nb: [1, 2\nc: 3\n")
    assert doc is None and issues[0].line is not None and issues[0].line >= 2
    assert issues[0].message.startswith("not valid YAML")


def test_two_documents_are_an_issue() -> None:
    doc, issues = parsed("a: 1\n---\nb: 2\n")
    assert doc is None and issues[0].line == 2 and "single document" in issues[0].message


def test_unreadable_value_is_an_issue() -> None:
    doc, issues = parsed("a: 2023-13-01\nb: 1\n")
    assert doc.data == {"b": 1}
    assert issues[0].path == "a" and "2023-13-01" in issues[0].message


def test_missing_file_is_an_issue(tmp_path: Path) -> None:
    doc, issues = read_yaml(tmp_path / "nope.yaml", "nope.yaml")
    assert doc is None and "cannot read the file" in issues[0].message


def test_issue_format() -> None:
    assert str(Issue("s.yaml", 12, "inflation.pay_awrd", "unknown key.")) \
        == "s.yaml:12, inflation.pay_awrd | unknown key."
    assert str(Issue("s.yaml", None, "baseline", "missing.")) == "s.yaml, baseline | missing."
    assert str(Issue("s.yaml", 3, "", "not UTF-8.")) == "s.yaml:3 | not UTF-8."


def test_printable_and_shorten_keep_messages_on_one_line() -> None:
    from model.scenario.yamlio import printable, shorten

    assert printable("a\nb\x1b[31m") == "a\\nb\\x1b[31m"
    assert printable("plain £ text") == "plain £ text"
    assert shorten("abc", 5) == "abc" and shorten("abcdefgh", 5) == "abcde… (8 characters)"
    assert str(Issue("s.yaml", 1, "name", "bad\nname")) == "s.yaml:1, name | bad\\nname"


def test_document_line_falls_back_to_the_nearest_key_with_one() -> None:
    from model.scenario.yamlio import Document, dotted

    doc = Document("x.yaml", {}, {("a",): 1, ("a", "b"): 2})
    assert doc.line(("a", "b", "c")) == 2 and doc.line(("a", "z")) == 1 and doc.line(("q",)) is None
    assert dotted(("inflation", "pay_award", "2025/26")) == "inflation.pay_award.2025/26" and dotted(()) == ""


def test_read_limited_reads_regular_files_within_the_limit(tmp_path: Path) -> None:
    from model.scenario.yamlio import ReadProblem, read_limited

    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: 1\n")
    assert read_limited(path, 5) == b"a: 1\n"
    with pytest.raises(ReadProblem) as caught:
        read_limited(path, 4)
    assert caught.value.kind == "too_big"
    with pytest.raises(ReadProblem) as caught:
        read_limited(tmp_path, 100)
    assert caught.value.kind == "not_a_file"
    with pytest.raises(ReadProblem) as caught:
        read_limited(tmp_path / "missing.yaml", 100)
    assert caught.value.kind == "unreadable" and "No such file" in caught.value.message


@pytest.mark.parametrize("encoding, name", [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"),
                                            ("utf-32", "UTF-32"), ("utf-32-le", "UTF-32")])
def test_a_file_in_utf16_or_utf32_is_named_as_such(tmp_path: Path, encoding: str, name: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes("extends: base\nbaseline:\n  pay_share: 0.7\n".encode(encoding))
    doc, (issue,) = read_yaml(path, "s.yaml")
    assert doc is None and issue.message.startswith(f"the file is {name} text; scenario files must be UTF-8.")


@pytest.mark.parametrize("text, line", [("a:\n\tb: 1\n", 2), ("a: 1\nb:\n  c: 1\n\t\td: 2\n", 4),
                                        ("a: [1,\t\n\t2]\nb:\n\t- 1\n", 4)])
def test_a_tab_where_yaml_refuses_one_is_named(text: str, line: int) -> None:
    doc, (issue,) = parse_yaml(text, "s.yaml")
    assert doc is None and issue.line == line
    assert issue.message.startswith("a tab is used to indent or space out this line; YAML allows only spaces")


def test_quoted_values_and_words_read_as_booleans_are_remembered() -> None:
    doc, issues = parse_yaml('a: "1"\nb: off\nc: [yes, \'no\', true]\nd: 2\n', "s.yaml")
    assert not issues and doc is not None
    assert doc.quoted == {("a",), ("c", "1")}
    assert doc.booleans == {("b",): "off", ("c", "0"): "yes", ("c", "2"): "true"}
