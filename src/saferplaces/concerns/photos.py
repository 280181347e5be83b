"""A resident's photo: checked to be a real JPEG or PNG, re-encoded, metadata stripped.

The upload is opened with Pillow (a file that only claims to be an image fails here), then
drawn into a fresh RGB image and saved as a new JPEG, so no EXIF (location, camera serial) or
other metadata survives. Photos live under the data folder, never under static or media URLs:
they are served only through the staff view that checks permission and audits the view.
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path

from django.conf import settings
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 2000  # pixels: enough to see a fly-tip, small enough to keep
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
ALLOWED_FORMATS = {"JPEG", "PNG"}

TOO_BIG = "The photo must be smaller than 5 MB"
NOT_IMAGE = "The selected file must be a JPG or PNG photo"


class PhotoError(ValueError):
    pass


def photo_clean(data: bytes) -> bytes:
    """The upload as a fresh JPEG with no metadata; :class:`PhotoError` saying what is wrong."""
    if len(data) > MAX_BYTES:
        raise PhotoError(TOO_BIG)
    if not data:
        raise PhotoError(NOT_IMAGE)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise PhotoError(NOT_IMAGE)
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoError("The photo is too large: take it again at a lower resolution")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = image.convert("RGB")
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoError(NOT_IMAGE) from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def photo_folder() -> Path:
    folder = Path(settings.DATA_DIR) / "concerns" / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def photo_store(data: bytes) -> str:
    """Save a cleaned photo under a fresh random name; the name (kept on the concern)."""
    name = f"{uuid.uuid4().hex}.jpg"
    (photo_folder() / name).write_bytes(data)
    return name


def photo_path(name: str) -> Path | None:
    """The file of a stored photo name, or None (names are ours: hex + .jpg only)."""
    if not name or not name.endswith(".jpg") or not name[:-4].isalnum():
        return None
    path = photo_folder() / name
    return path if path.is_file() else None


def photo_orphans(*, keep: set[str], older_than: float) -> list[str]:
    """Photos no concern holds (a report never sent) last changed before ``older_than`` (a Unix
    time): an abandoned upload must not outlive the session it belonged to."""
    return [
        path.name
        for path in photo_folder().glob("*.jpg")
        if path.name not in keep and path.stat().st_mtime < older_than
    ]


def photo_delete(name: str) -> None:
    path = photo_path(name)
    if path is not None:
        path.unlink(missing_ok=True)
