import pytest

from zhifa.powers import services


@pytest.fixture
def load_law(db):
    """Import bundled laws by short title: ``load_law("食品安全法", "安全生产法")``."""

    def load(*short_titles):
        files = {path.name.split("(")[0]: path for path in services.bundled_law_files()}
        return [services.import_law_file(files[name]) for name in short_titles]

    return load


@pytest.fixture
def laws(load_law):
    return load_law("食品安全法", "安全生产法", "广告法", "行政处罚法")
