"""Fixtures for the importing tests: the seed documents read once, and writers for xlsx/docx/csv variants."""

from __future__ import annotations

import pytest
from importing_helpers import SEED_CITY, SEED_DISTRICT

from liaison_app.importing import read_document, recognise


@pytest.fixture(scope="session")
def district():
    """000_… (沪松环〔2023〕14号) recognised: the 27 tasks and the indicator table."""
    return recognise(read_document(SEED_DISTRICT))


@pytest.fixture(scope="session")
def city():
    """003_… (沪绿容〔2023〕177号) recognised: 49 tasks with deadlines and the 18 items."""
    return recognise(read_document(SEED_CITY))
