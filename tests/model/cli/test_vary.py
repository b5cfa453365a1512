"""Reading what the batch commands vary (model/cli/vary.py): --vary, --vary-file and grid axes."""

from __future__ import annotations

import pytest

from model.analysis.sensitivity import Variation
from model.cli.common import UsageError
from model.cli.vary import load_vary_file, parse_axis, parse_variation
from model.errors import InputError
from tests.builders import worked_example


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda i: parse_variation("inflation.pay_award:add:0.02:-0.01"), "low (0.02) is above high (-0.01)"),
        (lambda i: parse_variation("inflation.pay_award:times:0:1"), "mode 'times' is not one of set, add, scale"),
        (lambda i: parse_variation("inflation.pay_award:add:0.02"), "should be PATH:MODE:LOW:HIGH"),
        (lambda i: parse_axis("inflation.pay_award:add:0,0.01,0", "--x"), "0 appears twice"),
        (lambda i: parse_axis("inflation.pay_award:add:0,,0.01", "--x"), "an empty value"),
        (lambda i: parse_variation("inflation.pay_award:add:nan:0.01"),
         "--vary inflation.pay_award: 'nan' is not a finite number"),
        (lambda i: parse_axis("inflation.pay_award:add:0,inf", "--y"),
         "--y inflation.pay_award: 'inf' is not a finite number"),
    ],
)
def test_bad_input_gets_a_clear_error(call, message):
    with pytest.raises((InputError, UsageError)) as caught:
        call(worked_example())
    assert message in str(caught.value)


def test_vary_file_forms(tmp_path):
    listed = tmp_path / "vary.yaml"
    listed.write_text("vary:\n  - {path: inflation.pay_award, mode: add, low: -0.01, high: 0.02}\n"
                      "  - {path: inflation.pay_award, mode: add, low: 0, high: 0.01, from_year: 2025/26}\n")
    mapped = tmp_path / "map.yaml"
    mapped.write_text("workforce.turnover_rate: {mode: set, low: 0.05, high: 0.15}\n")
    assert [v.label for v in load_vary_file(listed)] == ["inflation.pay_award",
                                                                     "inflation.pay_award from 2025/26"]
    assert load_vary_file(mapped) == [Variation("workforce.turnover_rate", "set", 0.05, 0.15)]
    broken = tmp_path / "broken.yaml"
    broken.write_text("- {path: inflation.pay_award, mode: add, low: 0}\n")
    with pytest.raises(UsageError, match="entry 1 should have path, mode, low and high"):
        load_vary_file(broken)


def test_parse_value_reads_numbers_flags_never_and_words():
    from model.cli.vary import parse_value

    assert parse_value(" 0.25 ") == 0.25 and parse_value("-3") == -3.0
    assert parse_value("TRUE") is True and parse_value("false") is False
    assert parse_value("null") is None and parse_value("never") is None and parse_value("None") is None
    assert parse_value("2024-04") == "2024-04" and parse_value("real") == "real"
    with pytest.raises(UsageError, match="'-inf' is not a finite number"):
        parse_value("-inf")


def test_parse_axis_and_parse_variation_read_their_forms():
    axis = parse_axis("running_cost_cut.path.2025/26:set:0.2, 0.3,0.4", "--x")
    assert (axis.path, axis.mode, axis.values) == ("running_cost_cut.path.2025/26", "set", (0.2, 0.3, 0.4))
    months = parse_axis("delegation.dentistry.go_live:set:2023-04,never", "--y")
    assert months.values == ("2023-04", None)
    with pytest.raises(UsageError, match="--x 'a:set' should be PATH:MODE:V1,V2"):
        parse_axis("a:set", "--x")
    with pytest.raises(UsageError, match=r"--y inflation\.pay_award: mode 'times' is not one of set, add, scale"):
        parse_axis("inflation.pay_award:times:1,2", "--y")
    v = parse_variation(" inflation.pay_award : add : -0.01 : 0.02 ")
    assert v == Variation("inflation.pay_award", "add", -0.01, 0.02)


def test_a_vary_file_that_is_not_a_list_of_entries_names_the_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("just words\n")
    with pytest.raises(UsageError) as caught:
        load_vary_file(bad)
    assert str(caught.value) == f"--vary-file {bad}:1 | expected a list of {{path, mode, low, high}} entries"
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("vary:\n  - {path: inflation.pay_award, mode: times, low: 0, high: 1}\n")
    with pytest.raises(UsageError) as caught:
        load_vary_file(wrong)
    assert f"{wrong}:2, vary.0 | inflation.pay_award: mode 'times'" in str(caught.value)
