"""Fetching call recordings from the PBX into Odoo (SPEC T15). ORM-free.

A recording URL comes from the PBX (the webhook's ``recording_url``, or ARI's
``getStoredFile`` for recordings Asterisk made). It is fetched only from the
PBX's own configured address (:func:`check_source`: same scheme, host, port
and path prefix, no redirects), with the PBX's credentials, and only if the
answer is audio and not larger than the cap (:func:`download`). The browser
never sees that URL: Odoo serves the stored copy.
"""

from urllib.parse import urlsplit

import requests

MAX_BYTES = 50 * 1024 * 1024  # a 4-hour call in 8 kHz mono WAV is ~230 MB; MP3/GSM far less
TIMEOUT = 30  # seconds to connect and between bytes
CHUNK = 64 * 1024

# Why a recording was not stored.
FOREIGN_HOST = "foreign_host"
TOO_LARGE = "too_large"
NOT_AUDIO = "not_audio"
HTTP_STATUS = "http_status"
UNREACHABLE = "unreachable"
# Worth trying again later (the PBX may be busy or still writing the file).
TRANSIENT = (HTTP_STATUS, UNREACHABLE)


class RecordingRefused(Exception):
    def __init__(self, kind, detail=""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail


def _origin(url):
    parts = urlsplit(url or "")
    default = {"http": 80, "https": 443}.get(parts.scheme)
    try:
        port = parts.port or default
    except ValueError:
        port = None
    return parts.scheme, (parts.hostname or "").lower(), port, parts.path


def check_source(url, base):
    """Raise :class:`RecordingRefused` unless ``url`` lies under the PBX's ``base`` URL."""
    scheme, host, port, path = _origin(url)
    b_scheme, b_host, b_port, b_path = _origin(base)
    if not base or not host or scheme not in ("http", "https"):
        raise RecordingRefused(FOREIGN_HOST, url)
    prefix = b_path if b_path.endswith("/") else b_path + "/"
    if (scheme, host, port) != (b_scheme, b_host, b_port) or not (
        path == b_path or path.startswith(prefix)
    ):
        raise RecordingRefused(FOREIGN_HOST, url)
    if "/../" in path + "/" or "/./" in path + "/":
        raise RecordingRefused(FOREIGN_HOST, url)


def download(url, auth=None, max_bytes=None, session=None):
    """``(bytes, mimetype)`` of the audio at ``url`` (at most ``max_bytes``, default
    :data:`MAX_BYTES`); raises :class:`RecordingRefused`."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    try:
        response = (session or requests).get(
            url, auth=auth, stream=True, timeout=TIMEOUT, allow_redirects=False
        )
    except requests.RequestException as exc:
        raise RecordingRefused(UNREACHABLE, str(exc)) from exc
    with response:
        if response.status_code != 200:
            raise RecordingRefused(HTTP_STATUS, str(response.status_code))
        mimetype = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if not mimetype.startswith("audio/"):
            raise RecordingRefused(NOT_AUDIO, mimetype or "no content type")
        announced = response.headers.get("Content-Length")
        if announced and announced.isdigit() and int(announced) > max_bytes:
            raise RecordingRefused(TOO_LARGE, announced)
        data = bytearray()
        try:
            for chunk in response.iter_content(CHUNK):
                data += chunk
                if len(data) > max_bytes:
                    raise RecordingRefused(TOO_LARGE, f"more than {max_bytes}")
        except requests.RequestException as exc:
            raise RecordingRefused(UNREACHABLE, str(exc)) from exc
    if not data:
        raise RecordingRefused(NOT_AUDIO, "empty")
    return bytes(data), mimetype
