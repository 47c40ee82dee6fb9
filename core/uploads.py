"""Uploaded files on disk: kept under instance/ (never static/), under random names."""
import os
import secrets

from flask import current_app


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
