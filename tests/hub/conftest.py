"""Hub fixtures: a hub on a fresh database (an SQLite file, and PostgreSQL when configured) with a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from givefirst.hub.services.context import Hub, connect
from tests.conftest import NOW


@pytest.fixture
def hub(db_url: str) -> Iterator[Hub]:
    found = connect(db_url, clock=lambda: NOW)
    yield found
    found.engine.dispose()
