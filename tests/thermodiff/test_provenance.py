"""Job records: the software versions they name."""

import importlib.metadata
import platform

from thermodiff import provenance


def test_distributions_by_module_matches_the_standard_library():
    """The text-only reading of top_level.txt/RECORD finds what packages_distributions finds."""
    expected = {
        module: set(names) for module, names in importlib.metadata.packages_distributions().items()
    }
    found = {module: set(names) for module, names in provenance.distributions_by_module().items()}
    assert found == expected


def test_imported_versions_names_numpy_and_python():
    versions = provenance.imported_versions()
    assert versions["numpy"] == importlib.metadata.version("numpy")
    assert versions["python"] == platform.python_version()
    assert list(versions) == sorted(versions)
