"""The 2021 LSOA analysis geography: ONS lookups, population, IMD, boundaries (ADR 0003)."""

from crimestats.geography.build import GeographySummary, load_geography
from crimestats.geography.population import read_census_population, read_mid_year_estimates
from crimestats.geography.resolver import LsoaResolver

__all__ = [
    "GeographySummary",
    "LsoaResolver",
    "load_geography",
    "read_census_population",
    "read_mid_year_estimates",
]
