"""The model's error for unusable input (model/errors.py): every library error about a value a caller
passed is an InputError, which the command line reports with exit status 2 and no traceback."""

from __future__ import annotations

import argparse

import pytest

from model.analysis.distributions import UncertaintyError
from model.cli.common import EXIT_INVALID, guarded
from model.engine.changes import OverrideError
from model.errors import InputError
from model.output.compare import SelectionError
from model.schema import ParameterError


@pytest.mark.parametrize("error", [OverrideError, ParameterError, SelectionError, UncertaintyError])
def test_each_library_input_error_is_an_input_error(error):
    assert issubclass(error, InputError) and issubclass(InputError, ValueError)


def test_the_command_line_reports_an_input_error_with_status_2(capsys):
    def command(args):
        raise InputError("'2040/41' is not a year of this run")

    assert guarded(command, argparse.Namespace()) == EXIT_INVALID == 2
    err = capsys.readouterr().err
    assert err == "icb-model: '2040/41' is not a year of this run\n"
