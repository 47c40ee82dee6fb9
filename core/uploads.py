"""Uploaded files on disk: kept under instance/ (never static/), under random names; and a check of Office files."""
import io
import os
import secrets
import zipfile

from flask import current_app

from core.errors import DomainError


def upload_dir(config_key, area):
    """The folder for one area's uploads: app.config[config_key], else <instance>/uploads/<area>."""
    path = current_app.config.get(config_key) or os.path.join(current_app.instance_path, "uploads", area)
    os.makedirs(path, exist_ok=True)
    return path


def store_bytes(directory, data, extension):
    """Write data under a random name (the uploader's name is only ever shown, never used as a path)."""
    stored_name = f"{secrets.token_hex(16)}.{extension}"
    with open(os.path.join(directory, stored_name), "wb") as out:
        out.write(data)
    return stored_name


def remove_stored(directory, stored_name):
    try:
        os.remove(os.path.join(directory, stored_name))
    except FileNotFoundError:
        pass


# An .xlsx or .docx is a zip archive: these bound what reading one may unpack into memory.
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 10_000


class UnsafeArchive(DomainError):
    """The archive is not a zip, or would unpack to far more than an honest Office file does.

    The message is for the log, not the user: callers turn it into their own readable error.
    """

    code = "unsafe_archive"


def check_office_archive(data, max_unpacked=MAX_UNPACKED, max_ratio=MAX_RATIO, max_members=MAX_MEMBERS):
    """Refuse a zip bomb before a library unpacks it: checks the sizes the archive declares.

    zipfile never unpacks more of a member than the archive declares (the rest fails its CRC check), so
    checking the declared sizes bounds the real work.
    """
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsafeArchive("not a zip archive") from exc
    if len(members) > max_members:
        raise UnsafeArchive("too many members")
    unpacked = sum(m.file_size for m in members)
    if unpacked > max_unpacked:
        raise UnsafeArchive("unpacks to too much")
    packed = sum(m.compress_size for m in members) or 1
    if unpacked > 1024 * 1024 and unpacked / packed > max_ratio:
        raise UnsafeArchive("compression ratio too high")
