"""Pictures for the tests, made with Pillow: a phone photo carries GPS in its EXIF."""

import io

from PIL import ExifTags, Image

MAKER = "PhoneMaker-X1"  # the EXIF Make tag: device metadata that must not survive either
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>51,30.43N</exif:GPSLatitude></x:xmpmeta>'


def gps_exif(orientation=1):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = MAKER
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 30.0, 26.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0),
    }
    return exif


def photo(image_format="JPEG", size=(64, 48), orientation=1):
    """Bytes of a small picture whose EXIF says where it was taken."""
    out = io.BytesIO()
    extra = {"xmp": XMP} if image_format == "JPEG" else {}
    Image.new("RGB", size, "teal").save(out, image_format, exif=gps_exif(orientation), **extra)
    return out.getvalue()


def has_location(data):
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        return bool(exif.get_ifd(ExifTags.IFD.GPSInfo)) or b"GPSLatitude" in data or b"Exif" in data


def size_of(data):
    with Image.open(io.BytesIO(data)) as image:
        return image.size
