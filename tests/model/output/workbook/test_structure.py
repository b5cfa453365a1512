"""The organisations a workbook shows (model/output/workbook/structure.py): pieces, changes,
organisations year by year, and which units a selection needs."""

from __future__ import annotations

import numpy as np
import pytest

from model import engine
from model.engine.inputs import from_scenario
from model.engine.lineage import to_units
from model.errors import InputError
from model.output.workbook.structure import select_units, structure_from_inputs, structure_from_scenario
from tests.builders import worked_example


def test_inputs_built_in_code_are_one_piece_per_icb_that_never_changes():
    structure = structure_from_inputs(worked_example(populations=(1e6, 2e6)))
    assert [p.label for p in structure.pieces] == ["T00", "T01"] and not structure.share_rows
    assert [org.members for org in structure.organisations] == [((0,),) * 4, ((1,),) * 4]
    assert structure.footprint == "2022" and structure.units == ("T00", "T01") and not structure.changes


def test_the_base_scenarios_pieces_shares_and_organisations(base_scenario):
    inputs = from_scenario(base_scenario)
    structure = structure_from_scenario(base_scenario, inputs.codes, inputs)
    assert len(structure.pieces) == 46 and len(structure.icbs) == 42 and structure.changes
    frimley = [p for p in structure.pieces if structure.icbs[p.icb].code == "QNQ"]
    assert [p.label for p in frimley] == ["QNQ>S0E4D", "QNQ>S9B9J", "QNQ>QRL"]
    assert [structure.share_of_icb(p) for p in frimley] == [0.58787, 0.18307, 0.22906]
    assert frimley[0].orgs == ("QNQ",) * 4 + ("S0E4D",) * 5
    thames = structure.organisation("S0E4D")
    assert thames.years == (4, 5, 6, 7, 8) and thames.merger_from == 4 and not thames.published
    assert len(thames.members[4]) == 2 and structure.organisation("QNQ").published == (1, 2, 3)
    assert structure.organisation("QRL").merger_from == 4  # it took a piece of Frimley
    assert structure.organisation("QHM").merger_from is None and structure.organisation("QHM").same_as_before(5)
    assert structure.units == inputs.footprint().codes and structure.footprint == "2026"


def test_a_selection_takes_every_organisation_its_history_is_tied_to(base_scenario):
    inputs = from_scenario(base_scenario)
    units, atoms = select_units(inputs, None, ["S0E4D"])
    assert units == ["S0E4D", "S9B9J", "QRL"]
    assert atoms == ["QU9>S0E4D", "QNQ>S0E4D", "QNQ>S9B9J", "QNQ>QRL", "QRL", "QXU>S9B9J", "QNX>S9B9J"]
    assert select_units(inputs, None, ["QE1"]) == (["QE1"], ["QE1"])
    with pytest.raises(InputError, match="QNQ is not an organisation of the 2026 footprint "
                                         r"\(QNQ is on the 2022 footprint: give --footprint\)"):
        select_units(inputs, None, ["QNQ"])


@pytest.mark.parametrize(("name", "codes", "footprint"), [("base", ["S0E4D"], None), ("base", ["QNQ"], "2022"),
                                                          ("merger_2027", ["QOC"], "2026")])
def test_a_selections_run_gives_its_organisations_the_whole_runs_figures(name, codes, footprint):
    """Nothing outside the organisations a selection takes reaches their figures."""
    from model.scenario import load_scenario
    from tests.workbook_checks import ROOT

    whole = from_scenario(load_scenario(name, ROOT))
    units, atoms = select_units(whole, footprint, codes)
    part = whole.select_icbs(atoms)
    full_out, part_out = engine.run(whole), engine.run(part)
    for key in ("allowance_gbp", "employed_wte", "redundancies_wte", "affordable_wte"):
        full = to_units(full_out[key][0], whole.footprint(footprint))
        some = to_units(part_out[key][0], part.footprint(footprint))
        for code in units:
            np.testing.assert_allclose(some[part.footprint(footprint).codes.index(code)],
                                       full[whole.footprint(footprint).codes.index(code)], rtol=1e-12)
