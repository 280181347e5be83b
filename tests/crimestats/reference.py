"""Reference counts from ``../shared/data/README.md``, counted there by an independent script.

Kept in one place so every test that checks the import or a measure against the README uses the
same numbers.
"""

from __future__ import annotations

from crimestats.categories import SLUG_TO_NAME

# README §4: North West Leicestershire (E07000134), 2025-01..2025-12, rows of the
# leicestershire street files whose LSOA name starts with "North West Leicestershire", by type.
NWL_2025_BY_TYPE = {
    "anti-social-behaviour": 1274,
    "bicycle-theft": 31,
    "burglary": 327,
    "criminal-damage-arson": 715,
    "drugs": 142,
    "other-crime": 220,
    "other-theft": 502,
    "possession-of-weapons": 49,
    "public-order": 705,
    "robbery": 28,
    "shoplifting": 441,
    "theft-from-the-person": 46,
    "vehicle-crime": 469,
    "violent-crime": 2935,
}

# README §4: the total of the table above, stated there separately (checked in test_reference).
NWL_2025_ROWS = 7_884

# README §4: every anti-social behaviour row, and only those, has a blank Crime ID.
NWL_2025_ASB = NWL_2025_BY_TYPE["anti-social-behaviour"]

# Crimes (ASB excluded), what "all crime" counts: 6,610.
NWL_2025_CRIMES = NWL_2025_ROWS - NWL_2025_ASB

# README §3: Derbyshire's 2025 files hold 94 rows in North West Leicestershire LSOAs, so loading
# both forces gives 7,884 + 94 = 7,978 rows in the district.
NWL_2025_DERBYSHIRE_ROWS = 94

# The same counts by police.uk's crime type names, as the web pages show them.
NWL_2025_BY_NAME = {SLUG_TO_NAME[slug]: rows for slug, rows in NWL_2025_BY_TYPE.items()}
