"""Reference counts from ``../shared/data/README.md``, counted there by an independent script.

Kept in one place so every test that checks the import or a measure against the README uses the
same numbers.
"""

from __future__ import annotations

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
