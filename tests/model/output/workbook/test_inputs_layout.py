"""The Inputs sheet's columns and builder (model/output/workbook/inputs_layout.py): defined names and
where the calculation sheets find each input."""

from __future__ import annotations

import pytest

from model.engine.inputs import INPUT_KEYS
from model.output.workbook import spec_from_inputs
from model.output.workbook.inputs_layout import InputsRefs, InputsSheet, input_name
from tests.builders import worked_example


@pytest.mark.parametrize(("path", "name"), [
    ("baseline.pay_share", "pay_share"), ("baseline.salary_per_wte_gbp", "salary_per_wte"),
    ("running_cost_cut.envelope.per_head_gbp", "envelope_per_head"), ("running_cost_cut.path", "cut_path"),
    ("running_cost_cut.basis", "cut_basis"), ("real_terms.index", "real_terms_index"),
    ("nonpay.annual_saving", "nonpay_annual_saving"), ("delegation.dentistry.in_cut_scope", "in_cut_scope_dentistry"),
    ("delegation.pharmacy.nonpay_per_wte_gbp", "nonpay_per_wte_pharmacy"),
    ("delegation.specialised.go_live", "golive_specialised"), ("inflation.pay_award", "pay_award"),
])
def test_input_names(path, name):
    assert input_name(path) == name


def test_every_engine_input_has_its_own_name():
    names = [input_name(key.path) for key in INPUT_KEYS]
    assert len(names) == len(set(names))


def test_refs_point_into_the_inputs_sheet():
    refs = InputsRefs(year_label_row=9, year_start_row=10, series_rows={"inflation.pay_award": 20})
    assert refs.series("inflation.pay_award", 0) == "Inputs!E21"  # years from column E
    assert refs.series("inflation.pay_award", 2) == "Inputs!G21"
    assert refs.year_label(1) == "Inputs!F10" and refs.year_start(0) == "Inputs!E11"


def test_the_builder_lays_out_rows_and_names_their_cells():
    b = InputsSheet(spec_from_inputs(worked_example()))
    row = b.scalar("baseline.pay_share", "pay_share", "Pay share", "fraction", 0.75, "frac_in")
    assert b.sheet.cells[(row, 3)].value == 0.75 and b.sheet.cells[(row, 3)].input
    assert b.names["pay_share"] == f"=Inputs!$D${row + 1}"
    series_row = b.series("inflation.pay_award", "pay_award", "Pay award", "fraction per year", "frac_in")
    assert series_row == row + 1
    assert [b.sheet.cells[(series_row, 4 + y)].value for y in range(4)] == [0.0, 0.05, 0.05, 0.05]
    assert b.names["pay_award"] == f"=Inputs!$E${series_row + 1}:$H${series_row + 1}"
    assert b.refs.series_rows["inflation.pay_award"] == series_row
    with pytest.raises(ValueError, match="defined name pay_share laid out twice"):
        b.name("pay_share", 0, 0)
