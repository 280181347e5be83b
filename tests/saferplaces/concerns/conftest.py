"""The analytics tests' small real store, for the map pin (its LSOA boundaries)."""

from tests.saferplaces.analytics.conftest import (  # noqa: F401 - fixtures used by these tests
    _close_engines_at_the_end,
    empty_store,
    real_store,
    use_data_dir,
)
