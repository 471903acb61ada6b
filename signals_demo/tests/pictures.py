"""Pictures for the tests, made with Pillow: a phone photo carries GPS in its EXIF."""

import io
import struct
import zlib

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


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with(*chunks, size=(64, 64)):
    """A PNG whose header is sound, followed by the chunks given (each with a valid CRC)."""
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", *size, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + b"".join(chunks) + png_chunk(b"IEND", b"")


def damaged_after_the_header():
    """Pictures whose header Pillow reads fine; decoding the rest fails."""
    noise = io.BytesIO()
    Image.effect_noise((256, 256), 50).convert("RGB").save(noise, "JPEG")
    return {
        "truncated-jpeg": noise.getvalue()[: len(noise.getvalue()) // 2],
        "png-idat-not-zlib": png_with(png_chunk(b"IDAT", b"these bytes are not zlib")),
        "png-idat-too-short": png_with(png_chunk(b"IDAT", zlib.compress(b"\x00" * 10))),
        # after the pixels, a text chunk that inflates past Pillow's MAX_TEXT_CHUNK (1 MB)
        "png-text-bomb": png_with(
            png_chunk(b"IDAT", zlib.compress(b"\x00" * (64 * 3 + 1) * 64)),
            png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * 2_000_000, 9)),
        ),
    }


def phone_mpo():
    """A JPEG as many phones write it: Multi-Picture Format (a second, preview image),
    which Pillow reports as format "MPO"; with GPS in its EXIF."""
    out = io.BytesIO()
    first, second = Image.new("RGB", (64, 48), "teal"), Image.new("RGB", (16, 12), "red")
    first.save(out, "MPO", save_all=True, append_images=[second], exif=gps_exif())
    return out.getvalue()
