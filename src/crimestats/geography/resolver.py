"""Map police.uk LSOA codes and map points to the 2021 analysis geography during an import.

Methods reference §1.6: unchanged (U) and merged (M) 2011 codes map one to one; split (S) and
complex (X) codes are re-assigned by the map point's position among the 2021 LSOAs they became.
"""

from __future__ import annotations

import hashlib
import threading
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
        self,
        lsoa21_codes: pa.Array,
        lookup: pa.Table,
        geometry: pa.Table | None = None,
        fingerprint: str = "",
    ) -> None:
        self.lsoa21_codes = lsoa21_codes
        #: sha256 of the geography files an import reads ("" when none is loaded): an import
        #: made with another geography may map LSOAs differently, so it is never "unchanged".
        self.fingerprint = fingerprint
        self.lookup = lookup
        self._geometry = geometry
        # The importer's worker threads share one resolver. GEOS builds a prepared polygon's
        # point locator and an STRtree's index lazily, on first query, without a lock of its
        # own; two threads querying at once can corrupt memory (a segfault seen in the suite).
        # The geometry steps are a small part of an import, so they run one at a time.
        self._geos_lock = threading.Lock()
        one_to_one = pc.is_in(lookup["change_code"], pa.array(["U", "M"]))
        self.one_to_one = lookup.filter(one_to_one).select(["lsoa11_code", "lsoa21_code"])
        # The same pairs as two aligned arrays, for vectorised look-ups (``pc.index_in``).
        self.one_to_one_11 = self.one_to_one["lsoa11_code"].combine_chunks()
        self.one_to_one_21 = self.one_to_one["lsoa21_code"].combine_chunks()
        split = lookup.filter(pc.invert(one_to_one))
        self.split = split.select(["lsoa11_code", "lsoa21_code"])
        self.split_codes = pc.unique(split["lsoa11_code"].combine_chunks())

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
        files = [folder / f"{n}.parquet" for n in ("lsoa", "lsoa11_to_21", "lsoa_geometry")]
        digest = hashlib.sha256()
        buffers = []
        for path in files:
            data = path.read_bytes()
            digest.update(len(data).to_bytes(8, "little") + data)
            buffers.append(pa.BufferReader(data))
        lsoa = pq.read_table(buffers[0], columns=["lsoa21_code"])
        lookup = pq.read_table(buffers[1])
        geometry = pq.read_table(buffers[2], columns=["lsoa21_code", "geojson"])
        return cls(lsoa["lsoa21_code"].combine_chunks(), lookup, geometry, digest.hexdigest())

    @cached_property
    def _code_table(self) -> dict[str, tuple[str | None, bool, bool]]:
        """Per police.uk LSOA code: its 2021 code, whether it is a 2011 code, whether split."""
        table: dict[str, tuple[str | None, bool, bool]] = {}
        split = set(self.split_codes.to_pylist())
        from11 = self.one_to_one_11.to_pylist()
        for code11, code21 in zip(from11, self.one_to_one_21.to_pylist(), strict=True):
            table.setdefault(code11, (code21, True, False))  # the lookup's first pair wins
        for code11 in split - table.keys():
            table[code11] = (None, True, True)
        for code21 in self.lsoa21_codes.to_pylist():
            table[code21] = (code21, False, False)  # a 2021 code is kept as it is
        return table

    def map_codes(self, codes: pa.Array) -> tuple[pa.Array, np.ndarray, np.ndarray]:
        """Map distinct police.uk LSOA codes to 2021 (methods reference §1.6).

        Parameters
        ----------
        codes : pyarrow.Array
            LSOA codes as given, each once (NULL allowed).

        Returns
        -------
        (codes21, is_2011, is_split)
            Per code: the 2021 code (NULL for a split code, which needs the point, and for a code
            the geography does not know), whether it is a 2011 code that is not also a 2021
            code, and whether it is a split (S) or complex (X) 2011 code.

        Notes
        -----
        One dictionary look-up per distinct code, a few hundred per file, instead of hash tables
        of every code in the geography (35,000 nationally) built again for each file.

        Examples
        --------
        >>> LsoaResolver.empty().map_codes(pa.array(["E01000001", None]))[0].to_pylist()
        [None, None]
        """
        table = self._code_table
        unknown: tuple[str | None, bool, bool] = (None, False, False)
        found = [table.get(code, unknown) for code in codes.to_pylist()]  # NULL: not a key
        mapped = pa.array([item[0] for item in found], pa.string())
        is_2011 = np.array([item[1] for item in found], dtype=bool)
        is_split = np.array([item[2] for item in found], dtype=bool)
        return mapped, is_2011, is_split

    @cached_property
    def _polygons(self) -> tuple[np.ndarray, np.ndarray, shapely.STRtree]:
        if self._geometry is None or self._geometry.num_rows == 0:
            empty = np.array([], dtype=object)
            return empty, empty, shapely.STRtree(empty)
        codes = np.array(self._geometry["lsoa21_code"].to_pylist(), dtype=object)
        geoms = shapely.from_geojson(np.array(self._geometry["geojson"].to_pylist(), dtype=object))
        shapely.prepare(geoms)
        return codes, geoms, shapely.STRtree(geoms)

    @cached_property
    def _split_parts(self) -> dict[str, tuple[int, ...]]:
        """Per split 2011 code, the polygon indices of the 2021 parts it became."""
        codes = self._polygons[0]
        position = {code: i for i, code in enumerate(codes.tolist())}
        parts: dict[str, list[int]] = {}
        from11, to21 = self.split["lsoa11_code"].to_pylist(), self.split["lsoa21_code"].to_pylist()
        pairs = zip(from11, to21, strict=True)
        for code11, code21 in pairs:
            if code21 in position and position[code21] not in parts.setdefault(code11, []):
                parts[code11].append(position[code21])
        return {code: tuple(found) for code, found in parts.items()}

    def locate(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """2021 LSOA containing each point (``None`` outside the geography or without a point).

        Examples
        --------
        >>> LsoaResolver.empty().locate(np.array([-1.3]), np.array([52.7])).tolist()
        [None]
        """
        result = np.full(len(lon), None, dtype=object)
        with self._geos_lock:
            return self._locate(lon, lat, result)

    def _locate(self, lon: np.ndarray, lat: np.ndarray, result: np.ndarray) -> np.ndarray:
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
        with self._geos_lock:
            return self._resolve_split(codes11, lon, lat, out)

    def _resolve_split(
        self, codes11: np.ndarray, lon: np.ndarray, lat: np.ndarray, out: np.ndarray
    ) -> tuple[np.ndarray, int]:
        codes, geoms, _ = self._polygons
        ok = np.isfinite(lon) & np.isfinite(lat)
        if not ok.any() or len(codes) == 0:
            return out, 0
        rows = np.flatnonzero(ok)
        # Every (row, candidate part) pair: one look-up per distinct 2011 code, then numpy.
        distinct, inverse = np.unique(codes11[rows].astype(str), return_inverse=True)
        parts = [self._split_parts.get(code, ()) for code in distinct]
        counts = np.array([len(p) for p in parts], dtype=np.int64)
        flat = np.array([i for p in parts for i in p], dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        per_row = counts[inverse]
        row = np.repeat(rows, per_row)
        offsets = np.arange(len(row)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
        polygon_index = flat[np.repeat(starts[inverse], per_row) + offsets]
        if len(row) == 0:
            return out, 0
        # Containment on prepared polygons first; the distance only where no part holds the point.
        distance = np.where(
            shapely.intersects_xy(geoms[polygon_index], lon[row], lat[row]), 0.0, np.inf
        )
        inside = np.zeros(len(codes11), dtype=bool)
        inside[row[distance == 0]] = True
        far = ~inside[row]
        if far.any():
            points = shapely.points(lon[row[far]], lat[row[far]])
            distance[far] = shapely.distance(points, geoms[polygon_index[far]])
        order = np.lexsort((distance, row))  # stable: among equals, the lookup's first part
        best = order[np.unique(row[order], return_index=True)[1]]
        out[row[best]] = codes[polygon_index[best]]
        return out, int(np.count_nonzero(distance[best] > 0))
