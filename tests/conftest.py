"""Import the library from this checkout's src/ even when another checkout is installed.

``pytest --reverse`` runs the collected tests in reverse order: with the default order it shows
that no test depends on what another left behind.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def pytest_addoption(parser):
    parser.addoption(
        "--reverse", action="store_true", help="run the tests in reverse collection order"
    )


def pytest_collection_modifyitems(config, items):
    if config.getoption("--reverse"):
        items.reverse()
