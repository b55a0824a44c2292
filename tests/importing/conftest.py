"""Fixtures for the importing tests: the seed documents read once, and writers for xlsx/docx/csv variants."""

from __future__ import annotations

from pathlib import Path

import pytest

from liaison_app.importing import read_document, recognise

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
SEED_DISTRICT = next(SAMPLES.glob("松江区*.txt"))
SEED_CITY = next(SAMPLES.glob("市绿化市容局*.txt"))


@pytest.fixture(scope="session")
def district():
    """000_… (沪松环〔2023〕14号) recognised: the 27 tasks and the indicator table."""
    return recognise(read_document(SEED_DISTRICT))


@pytest.fixture(scope="session")
def city():
    """003_… (沪绿容〔2023〕177号) recognised: 49 tasks with deadlines and the 18 items."""
    return recognise(read_document(SEED_CITY))
