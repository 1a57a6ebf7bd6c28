"""Posting a province package to another parstat installation (``POST /api/v1/packages``).

The standard library's ``urllib``, as parstat.exports.push does: one multipart POST with a
bearer token does not need a client library; the timeout is explicit. The receiver's refusal
(its stable code and message) becomes ``package.send_failed`` naming both.
"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from typing import Any

from parstat.errors import ParstatError

PACKAGES_PATH = "/api/v1/packages"


def multipart(field: str, filename: str, data: bytes, content_type: str) -> tuple[bytes, str]:
    boundary = f"parstat-{secrets.token_hex(12)}"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; "
            f"filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n").encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def post_package(data: bytes, *, url: str, token: str, filename: str = "package.zip",
                 timeout: float = 120.0) -> tuple[int, dict[str, Any]]:
    """The receiver's status and import summary; ``package.send_failed`` when it refuses."""
    body, content_type = multipart("file", filename, data, "application/zip")
    target = url.rstrip("/") + PACKAGES_PATH
    request = urllib.request.Request(target, data=body, method="POST", headers={
        "Content-Type": content_type, "Accept": "application/json",
        "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        answer = refused.read()
        try:
            error = json.loads(answer)
            reason = f"{refused.code} [{error.get('code')}] {error.get('message')}"
        except ValueError:
            reason = f"{refused.code} {answer[:200].decode('utf-8', 'replace')}"
        raise ParstatError("package.send_failed", url=url, reason=reason) from None
    except (urllib.error.URLError, TimeoutError, OSError) as failed:
        raise ParstatError("package.send_failed", url=url,
                           reason=str(getattr(failed, "reason", failed))) from None
