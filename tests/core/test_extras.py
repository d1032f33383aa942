import pytest

from postmine.core.extras import require


def test_require_imports_an_installed_module():
    assert require("json").dumps([1]) == "[1]"


def test_require_names_the_extra():
    with pytest.raises(ImportError, match=r"pip install 'postmine\[geo\]'"):
        require("geopandas.no_such_submodule_xyz")
