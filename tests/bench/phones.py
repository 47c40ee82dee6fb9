"""A lean HTTP/1.1 client for simulated phones: asyncio streams and hand-written requests, no client library.

With 10,000 phones on the server's own two cores, aiohttp's per-request and per-line machinery used more
CPU than the server it measured (38 s against 25 s in one run) and its event-loop lag was counted as the
server's. A phone needs little: a JSON request on a fresh connection (a phone's keep-alive has long expired
between two answers) and one long-lived event stream read chunk by chunk. Loopback only.
"""
import asyncio
import json


class HttpError(Exception):
    pass


async def _head(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if line:
            name, _sep, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
    return status, headers


async def _body(reader, headers):
    if headers.get(b"transfer-encoding") == b"chunked":
        parts = []
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append((await reader.readexactly(size + 2))[:-2])
        await reader.readuntil(b"\r\n")
        return b"".join(parts)
    return await reader.readexactly(int(headers.get(b"content-length", b"0")))


def _request(method, host, port, path, headers, body):
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close",
             *(f"{k}: {v}" for k, v in headers.items())]
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


async def request(host, port, method, path, payload=None, headers=None, timeout=60):
    """(status, {header: value} as bytes, parsed JSON body or None) on a connection of its own."""
    body = json.dumps(payload).encode() if payload is not None else None
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        writer.write(_request(method, host, port, path, headers or {}, body))
        status, head = await asyncio.wait_for(_head(reader), timeout)
        raw = await asyncio.wait_for(_body(reader, head), timeout) if status != 304 else b""
        return status, head, (json.loads(raw) if raw else None)
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
        raise HttpError(repr(exc)[:120]) from None
    finally:
        writer.close()


async def events(host, port, path, on_data, headers=None):
    """Open an SSE stream and call on_data(bytes after "data: ") for every event until the server ends it.

    Returns None when the stream ran and ended, else the refusal's status (e.g. 503 while streams are full)."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 60)
    try:
        writer.write(_request("GET", host, port, path, dict({"Accept": "text/event-stream"}, **(headers or {})),
                              None))
        status, head = await asyncio.wait_for(_head(reader), 60)
        if status != 200:
            await _body(reader, head)
            return status
        buffer = b""
        # One chunk per event as the server writes them, but a chunk may come in several reads: parse the
        # chunk framing, then split the event text on blank lines.
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            buffer += (await reader.readexactly(size + 2))[:-2]
            while b"\n\n" in buffer:
                event, buffer = buffer.split(b"\n\n", 1)
                for line in event.split(b"\n"):
                    if line.startswith(b"data: "):
                        on_data(line[6:])
        return None
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
        raise HttpError(repr(exc)[:120]) from None
    finally:
        writer.close()
