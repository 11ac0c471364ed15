"""Argument types shared by the management commands, so that every command reads a number the same way."""

import argparse


def positive_int(value):
    """Return `value` as a whole number of at least 1, or make argparse say what is wrong with it."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return number
