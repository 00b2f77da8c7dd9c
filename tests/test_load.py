"""Stage 1: bytes to YAML data with per-key lines, or one clear problem naming file and line."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from generator.load import (
    MAX_FILE_BYTES,
    PaperLoader,
    RawDocument,
    load_paper_files,
    parse_yaml_document,
)
from generator.model import Problem

PATH = PurePosixPath("papers/x.yaml")


def parse(text: str | bytes) -> RawDocument | Problem:
    return parse_yaml_document(PATH, text.encode("utf-8") if isinstance(text, str) else text)


def test_records_the_line_of_every_key_and_list_item() -> None:
    document = parse("title: T\nauthors:\n- A\n- B\nlinks:\n  code: https://x.org\n")
    assert isinstance(document, RawDocument)
    assert document.lines == {
        "title": 1,
        "authors": 2,
        "authors[0]": 3,
        "authors[1]": 4,
        "links": 5,
        "links.code": 6,
    }


def test_dates_stay_text_so_validation_can_judge_them() -> None:
    document = parse("date: 2024-02-30\nadded: 2024-03-01\n")
    assert isinstance(document, RawDocument)
    assert document.data == {"date": "2024-02-30", "added": "2024-03-01"}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("title: [unclosed\n", "papers/x.yaml:2: YAML syntax error"),
        ("title: T\n\tauthors: []\n", "papers/x.yaml:2: YAML syntax error"),
        ("title: A\ntitle: B\n", "papers/x.yaml:2: duplicate key 'title'; keep one"),
        ("", "papers/x.yaml:1: file is empty"),
        ("a: &x [1]\nb: *x\n", "papers/x.yaml:2: YAML anchors and aliases are not supported"),
        (
            "title: !!python/object:os.system ls\n",
            "papers/x.yaml:1: YAML tag '!!python/object:os.system' is not allowed",
        ),
        ("!custom key: 1\n", "papers/x.yaml:1: YAML tag '!custom' is not allowed"),
        (
            "title: ok\n\nabstract: a\x1b[1mb\n",
            "papers/x.yaml:3: holds an invisible control character (U+001B) that YAML does not allow; delete it",
        ),
        (
            "title: [unclosed\nauthors: []\n",
            "papers/x.yaml:2: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence that starts on line 1)",
        ),
        (
            "title: BERT: Pre-training\n",
            "papers/x.yaml:1: YAML syntax error: mapping values are not allowed in this context; put a value that contains ': ' in quotes",
        ),
        (
            "authors:\n\t- A\n",
            "papers/x.yaml:2: YAML syntax error: found a tab character; YAML indents with spaces only",
        ),
        (
            "---\ntitle: a\n---\ntitle: b\n",
            "papers/x.yaml:3: YAML syntax error: expected a single document in the stream but found another document",
        ),
    ],
)
def test_refuses_broken_yaml_with_file_and_line(content: str, expected: str) -> None:
    problem = parse(content)
    assert isinstance(problem, Problem)
    assert str(problem).startswith(expected)


@pytest.mark.parametrize(
    "content",
    [
        "title: T\nauthors: [A, B]\nlinks: {code: 'https://x.org'}\nupvotes: 3\n",
        "yes: no\n1: 0x1F\nf: .inf\nn: ~\nd: 2024-01-01\nbin: !!binary aGVsbG8=\n",
        "<<: {a: 1}\nb: 2\n",  # a merge key: PyYAML's constructor merges it
        "tags: !!set {x, y}\n",
        "when: !!timestamp 2024-01-01\n",
        "nested: " + "[" * 300 + "]" * 300 + "\n",
    ],
)
def test_values_are_what_pyyaml_constructs(content: str) -> None:
    loader = PaperLoader(content)
    expected = loader.construct_document(loader.get_single_node())
    document = parse(content)
    assert isinstance(document, RawDocument)
    assert document.data == expected


def test_nesting_deeper_than_python_recurses_is_still_read() -> None:
    document = parse("nested: " + "[" * 3000 + "]" * 3000 + "\n")
    assert isinstance(document, RawDocument) and isinstance(document.data["nested"], list)


def test_refuses_bytes_that_are_not_utf8_naming_the_line() -> None:
    problem = parse(b"title: ok\nabstract: caf\xe9\n")
    assert str(problem) == "papers/x.yaml:2: is not UTF-8 (byte 0xe9); save the file as UTF-8"


def test_accepts_a_utf8_byte_order_mark_and_crlf() -> None:
    document = parse(b"\xef\xbb\xbftitle: T\r\nauthors:\r\n- A\r\n")
    assert isinstance(document, RawDocument)
    assert document.data == {"title": "T", "authors": ["A"]}
    assert document.lines["authors[0]"] == 3


def test_refuses_files_over_the_size_limit() -> None:
    problem = parse("abstract: " + "x" * MAX_FILE_BYTES)
    assert isinstance(problem, Problem)
    assert "a paper file may be at most 1,000,000" in problem.message


def test_billion_laughs_is_refused_without_expanding() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]"
        for i in range(8)
    ]
    problem = parse("\n".join(lines) + "\n")
    assert isinstance(problem, Problem)
    assert "anchors and aliases are not supported" in problem.message
    assert problem.line == 2  # the first `*a`, not the `&a` it refers to


def test_load_paper_files_skips_the_vocabulary_and_reports_yml_and_outside_links(
    tmp_path: Path,
) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "_tags.yaml").write_text("x: {}\n")
    (papers / "good.yaml").write_text("title: T\n")
    (papers / "wrong-suffix.yml").write_text("title: T\n")
    outside = tmp_path / "secret.yaml"
    outside.write_text("title: secret\n")
    (papers / "link.yaml").symlink_to(outside)
    documents, problems = load_paper_files(papers, tmp_path)
    assert [d.path for d in documents] == [PurePosixPath("papers/good.yaml")]
    assert [str(p) for p in problems] == [
        "papers/link.yaml:1: is a link to a file outside papers/; copy the file in instead",
        "papers/wrong-suffix.yml:1: paper files end in .yaml; rename it to wrong-suffix.yaml",
    ]
