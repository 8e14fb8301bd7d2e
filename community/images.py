"""Image hardening: every picture people upload is checked, resized and re-encoded before it is stored.

Only JPEG, PNG and WebP are accepted, judged by what the bytes really are (never the file name or the content type
the browser sent). The size in pixels is checked from the header before any pixels are decoded, so a small file
that unpacks into a huge image (a "decompression bomb") is refused cheaply. The result is a brand-new image with no
metadata at all: no EXIF, no GPS location, no colour profile, no comments.

Two shapes: avatars are cropped to a centred `size` x `size` square; chat pictures (`crop_square=False`) keep their
shape and are only scaled down, so that neither side is longer than `size` (a small picture is never enlarged).
"""

from __future__ import annotations

import io
import secrets
import warnings

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, features

from community.errors import InvalidInput

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
_OUTPUT_FORMAT, _OUTPUT_EXTENSION = ("WEBP", "webp") if features.check("webp") else ("JPEG", "jpg")
_QUALITY = 85


def harden_image(upload, *, max_bytes: int, max_pixels: int, size: int, crop_square: bool = True) -> ContentFile:
    """Return a clean copy of `upload` with a random name, or raise InvalidInput.

    crop_square=True: a centred `size` x `size` square (avatars). crop_square=False: the same picture, same aspect
    ratio, scaled down to fit within `size` x `size` and never scaled up (chat pictures).
    """
    data = _read_limited(upload, max_bytes=max_bytes)
    image = _open_checked(data, max_pixels=max_pixels)
    try:
        target = (size, size) if crop_square else _fit_within(image.size, size)
        if image.format == "JPEG":
            # Let the JPEG decoder scale down while decoding: far less memory for big photos.
            image.draft("RGB", target)
        image.load()
        image = ImageOps.exif_transpose(image)
        keep_alpha = _has_transparency(image)
        image = image.convert("RGBA" if keep_alpha else "RGB")
        if crop_square:
            image = ImageOps.fit(image, (size, size), method=Image.Resampling.LANCZOS, centering=(0.5, 0.5))
        else:
            fitted = _fit_within(image.size, size)
            if fitted != image.size:
                image = image.resize(fitted, resample=Image.Resampling.LANCZOS)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _unreadable() from exc
    return _encode_fresh(image, keep_alpha=keep_alpha)


def _fit_within(dimensions: tuple[int, int], size: int) -> tuple[int, int]:
    """(width, height) scaled down so the longer side is at most `size`, keeping the aspect ratio; never larger."""
    width, height = dimensions
    longest = max(width, height)
    if longest <= size:
        return width, height
    scale = size / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def _read_limited(upload, *, max_bytes: int) -> bytes:
    declared_size = getattr(upload, "size", None)
    if declared_size is not None and declared_size > max_bytes:
        raise _too_large(max_bytes)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    if not data:
        raise _unreadable()
    return data


def _open_checked(data: bytes, *, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except Image.UnidentifiedImageError as exc:
        raise InvalidInput(
            "That file type isn't one we can use. Please choose a JPEG, PNG or WebP picture.",
            code="unsupported_image",
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise _unreadable() from exc
    if image.format not in ACCEPTED_FORMATS:
        raise InvalidInput("Please choose a JPEG, PNG or WebP picture.", code="unsupported_image")
    width, height = image.size
    if width < 1 or height < 1:
        raise _unreadable()
    if width * height > max_pixels:
        raise _too_many_pixels()
    return image


def _has_transparency(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA"):
        alpha = image.getchannel("A")
        return alpha.getextrema()[0] < 255
    return image.mode == "P" and "transparency" in image.info


def _encode_fresh(image: Image.Image, *, keep_alpha: bool) -> ContentFile:
    # Copy only the pixels into a new image, so nothing from the original file's metadata can travel along.
    mode = "RGBA" if keep_alpha and _OUTPUT_FORMAT == "WEBP" else "RGB"
    if image.mode != mode:
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image.convert("RGBA")).convert(mode)
    clean = Image.frombytes(mode, image.size, image.tobytes())
    buffer = io.BytesIO()
    clean.save(buffer, format=_OUTPUT_FORMAT, quality=_QUALITY)
    return ContentFile(buffer.getvalue(), name=f"{secrets.token_hex(16)}.{_OUTPUT_EXTENSION}")


def _too_large(max_bytes: int) -> InvalidInput:
    megabytes = max(1, round(max_bytes / (1024 * 1024)))
    return InvalidInput(
        f"That picture is too big. Please choose one under {megabytes} MB.",
        code="image_too_large",
    )


def _too_many_pixels() -> InvalidInput:
    return InvalidInput(
        "That picture is too large for us to use. Please try a smaller picture, or a screenshot of it.",
        code="image_too_many_pixels",
    )


def _unreadable() -> InvalidInput:
    return InvalidInput(
        "We couldn't open that picture. It may be damaged. Please try a different one.",
        code="image_unreadable",
    )
