"""Map police.uk LSOA codes and map points to the 2021 analysis geography during an import.

Methods reference §1.6: unchanged (U) and merged (M) 2011 codes map one to one; split (S) and
complex (X) codes are re-assigned by the map point's position among the 2021 LSOAs they became.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import shapely


class LsoaResolver:
    """The geography an import needs, read once from ``DATA_DIR/geography``.

    Parameters
    ----------
    lsoa21_codes : pyarrow.Array
        Every 2021 LSOA of the loaded geography.
    lookup : pyarrow.Table
        ``lsoa11_code, lsoa21_code, change_code`` (ONS exact-fit lookup).
    geometry : pyarrow.Table, optional
        ``lsoa21_code, geojson`` of the 2021 boundaries (needed for splits and stop and search).
    """

    def __init__(
        self, lsoa21_codes: pa.Array, lookup: pa.Table, geometry: pa.Table | None = None
    ) -> None:
        self.lsoa21_codes = lsoa21_codes
        self.lookup = lookup
        self._geometry = geometry
        one_to_one = pc.is_in(lookup["change_code"], pa.array(["U", "M"]))
        self.one_to_one = lookup.filter(one_to_one).select(["lsoa11_code", "lsoa21_code"])
        split = lookup.filter(pc.invert(one_to_one))
        self.split = split.select(["lsoa11_code", "lsoa21_code"])
        self.split_codes = pc.unique(split["lsoa11_code"])

    @property
    def loaded(self) -> bool:
        """True when a geography has been loaded (otherwise every lookup is empty)."""
        return len(self.lsoa21_codes) > 0

    @classmethod
    def empty(cls) -> LsoaResolver:
        """A resolver for a data folder without geography."""
        text = pa.string()
        lookup = pa.table({n: pa.array([], text) for n in ("lsoa11_code", "lsoa21_code")})
        lookup = lookup.append_column("change_code", pa.array([], text))
        return cls(pa.array([], text), lookup, None)

    @classmethod
    def from_data_dir(cls, data_dir: Path) -> LsoaResolver:
        """Read the geography written by ``load_geography``; empty when none is loaded."""
        folder = data_dir / "geography"
        if not (folder / "lsoa.parquet").exists():
            return cls.empty()
        lsoa = pq.read_table(folder / "lsoa.parquet", columns=["lsoa21_code"])
        lookup = pq.read_table(folder / "lsoa11_to_21.parquet")
        geometry = pq.read_table(
            folder / "lsoa_geometry.parquet", columns=["lsoa21_code", "geojson"]
        )
        return cls(lsoa["lsoa21_code"].combine_chunks(), lookup, geometry)

    @cached_property
    def _polygons(self) -> tuple[np.ndarray, np.ndarray, shapely.STRtree]:
        if self._geometry is None or self._geometry.num_rows == 0:
            empty = np.array([], dtype=object)
            return empty, empty, shapely.STRtree(empty)
        codes = np.array(self._geometry["lsoa21_code"].to_pylist(), dtype=object)
        geoms = shapely.from_geojson(np.array(self._geometry["geojson"].to_pylist(), dtype=object))
        return codes, geoms, shapely.STRtree(geoms)

    def locate(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """2021 LSOA containing each point (``None`` outside the geography or without a point).

        Examples
        --------
        >>> LsoaResolver.empty().locate(np.array([-1.3]), np.array([52.7])).tolist()
        [None]
        """
        result = np.full(len(lon), None, dtype=object)
        codes, _, tree = self._polygons
        ok = np.isfinite(lon) & np.isfinite(lat)
        if not ok.any() or len(codes) == 0:
            return result
        rows = np.flatnonzero(ok)
        points = shapely.points(lon[rows], lat[rows])
        # "intersects" also catches points exactly on a shared boundary; the first match wins.
        point_index, polygon_index = tree.query(points, predicate="intersects")
        first = np.unique(point_index, return_index=True)[1]
        result[rows[point_index[first]]] = codes[polygon_index[first]]
        return result

    def resolve_split(
        self, codes11: np.ndarray, lon: np.ndarray, lat: np.ndarray
    ) -> tuple[np.ndarray, int]:
        """For rows whose 2011 LSOA was split, pick the 2021 part that holds the map point.

        Parameters
        ----------
        codes11 : numpy object array
            2011 LSOA codes, each one of ``split_codes``.
        lon, lat : numpy float arrays
            The map points (NaN when blank).

        Returns
        -------
        (codes21, nearest_used)
            The 2021 code per row (``None`` without a point) and how many rows fell outside every
            part (a gap left by generalised boundaries) and took the nearest part instead.

        Notes
        -----
        The candidates are only the 2021 LSOAs the 2011 LSOA split into, so the answer is always
        one of them: the part containing the point (distance 0), else the nearest part.
        """
        out = np.full(len(codes11), None, dtype=object)
        codes, geoms, _ = self._polygons
        ok = np.isfinite(lon) & np.isfinite(lat)
        if not ok.any() or len(codes) == 0:
            return out, 0
        rows = np.flatnonzero(ok)
        pairs = pa.table({"row": rows, "lsoa11_code": pa.array(codes11[rows], pa.string())})
        pairs = pairs.join(self.split, "lsoa11_code", join_type="inner")
        index = pa.table(
            {"lsoa21_code": pa.array(codes, pa.string()), "polygon": np.arange(len(codes))}
        )
        pairs = pairs.join(index, "lsoa21_code", join_type="inner")
        row = pairs["row"].to_numpy()
        candidates = np.asarray(pairs["lsoa21_code"].to_numpy(zero_copy_only=False), dtype=object)
        polygon_index = pairs["polygon"].to_numpy()
        distance = shapely.distance(shapely.points(lon[row], lat[row]), geoms[polygon_index])
        order = np.lexsort((distance, row))
        best = order[np.unique(row[order], return_index=True)[1]]
        out[row[best]] = candidates[best]
        return out, int(np.count_nonzero(distance[best] > 0))
