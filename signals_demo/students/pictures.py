"""Student pictures: bounded on the way in, stored without their metadata.

A phone photo's EXIF block says where it was taken (GPS), when, and with which device.
Django stores an upload byte for byte, so every picture is decoded and re-encoded with
Pillow before it is written: the pixels stay, EXIF, XMP and comments go. Doing it in the
field's FieldFile.save() covers every way a file reaches the storage (the API, the admin,
``detail.pic.save()`` in a shell); signals would miss ``pic.save()``, which writes the file
before any pre_save is sent.
"""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.fields.files import ImageField, ImageFieldFile
from PIL import Image, ImageOps, UnidentifiedImageError

EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}  # what we accept, and store as
# Many phones write JPEGs with a second, preview picture (CIPA's Multi-Picture Format);
# Pillow calls them MPO. We keep the main picture, as a plain JPEG.
SAVED_AS = {"MPO": "JPEG"}
KEPT_INFO = ("icc_profile", "transparency")  # needed to show the pixels right; no location in them


def open_bounded(file):
    """The picture, opened lazily (Pillow reads the header only): refused when it is not a
    JPEG, PNG or WebP, or has more pixels than STUDENT_PICTURE_MAX_PIXELS."""
    file.seek(0)
    try:
        image = Image.open(file)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        raise ValidationError("Upload a JPEG, PNG or WebP picture.") from None
    width, height = image.size
    limit = settings.STUDENT_PICTURE_MAX_PIXELS
    if image.format not in EXTENSIONS:
        raise ValidationError(f"Upload a JPEG, PNG or WebP picture, not {image.format}.")
    if width * height > limit:
        raise ValidationError(f"The picture is {width}x{height} pixels; at most {limit:,} pixels are accepted.")
    return image


def validate_picture(file):
    """The model field's validator: ModelForms (the admin) and ModelSerializers (the API)
    run it, so a bad upload is a 400 (or a form error) naming the field."""
    limit = settings.STUDENT_PICTURE_MAX_BYTES
    if file.size > limit:
        raise ValidationError(f"The picture is {file.size:,} bytes; at most {limit:,} bytes are accepted.")
    # Decode every pixel now, not only the header: a file damaged after a sound header
    # (truncated, bad compressed data, a text chunk that inflates too far) is refused here
    # as a 400 naming the field, not found at save time as a 500. Kept for the save.
    file.without_metadata = without_metadata(file)


def without_metadata(file):
    """(bytes of the same picture with no metadata, its extension)."""
    with open_bounded(file) as image:
        image_format = image.format
        kept = {key: image.info[key] for key in KEPT_INFO if key in image.info}
        try:
            # The EXIF Orientation tag goes with the rest: turn the pixels upright first.
            upright = ImageOps.exif_transpose(image)  # decodes every pixel
            upright.info = {}  # Pillow copies some keys (a JPEG comment) from .info when saving
            out = io.BytesIO()
            saved_as = SAVED_AS.get(image_format, image_format)
            upright.save(out, format=saved_as, **kept, **({"quality": 90} if saved_as == "JPEG" else {}))
        except Exception:  # Pillow's decoders raise many types; Django's forms.ImageField catches Exception too
            raise ValidationError("The picture is damaged or truncated: its pixels could not be read.") from None
    return out.getvalue(), EXTENSIONS[image_format]


class MetadataFreeFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        # validate_picture() already did the work for an upload; a file saved from code was never validated.
        data, extension = getattr(content, "without_metadata", None) or without_metadata(content)
        # A random name: the uploaded one may itself be personal ("IMG_home_2024.jpg"), and
        # a replaced picture never shares a name (or a cached URL) with its successor.
        super().save(f"{uuid.uuid4().hex}.{extension}", ContentFile(data), save)


class MetadataFreeImageField(ImageField):
    """An ImageField that stores every picture re-encoded, without its metadata."""

    attr_class = MetadataFreeFieldFile
