"""Direct writes (issue 10): under gunicorn's gevent worker the board writes each phone's event to its socket
with one non-blocking send, and the stream's greenlet only finishes what the board could not."""
import socket
import threading
import time

import gevent.socket
import pytest

from surveys.barometer import streams
from surveys.barometer.broadcast import KEEPALIVE_CHUNK, KEEPALIVE_SECONDS, Board, Direct


class Cooperative:
    """Stands in for gevent's socket: sendall waits until everything is written."""

    def __init__(self, raw):
        self.raw = raw

    def sendall(self, data):
        self.raw.setblocking(True)
        try:
            self.raw.sendall(data)
        finally:
            self.raw.setblocking(False)


@pytest.fixture
def opened():
    """Sockets a test opened, closed after it."""
    sockets = []
    yield sockets
    for sock in sockets:
        sock.close()


def phone(opened, chunked=True):
    ours, theirs = socket.socketpair()
    opened += [ours, theirs]
    ours.setblocking(False)
    theirs.settimeout(2)
    return Direct(Cooperative(ours), ours, chunked), theirs


def state(number):
    return {"version": number, "statement": {"number": number, "text": "Min organisation har något att tillföra"}}


def received(sock, size):
    data = b""
    while len(data) < size:
        data += sock.recv(size - len(data))
    return data


def test_a_change_is_written_to_every_phone_framed_as_gunicorn_would(opened):
    board = Board(1)
    chunked, chunked_peer = phone(opened, chunked=True)
    plain, plain_peer = phone(opened, chunked=False)  # an HTTP/1.0 client: gunicorn does not chunk its body
    board.direct.update({chunked, plain})
    board.publish(state(2))
    event = board.current[1]
    framed = b"%X\r\n" % len(event) + event + b"\r\n"
    assert received(chunked_peer, len(framed)) == framed
    assert received(plain_peer, len(event)) == event
    assert not chunked.wake.is_set() and not plain.wake.is_set()  # nothing left for their greenlets


def test_a_slow_phone_gets_the_rest_from_its_own_greenlet_in_order(opened):
    board = Board(1)
    slow, peer = phone(opened)
    slow.raw.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    board.direct.add(slow)
    board.publish(dict(state(2), statement={"number": 2, "text": "å" * 200_000}))  # more than one send takes
    assert slow.backlog and slow.wake.is_set()
    board.publish(state(3))  # while the rest of 2 waits: 3 must not be written into the middle of it
    assert slow.behind
    writer = threading.Thread(target=slow.catch_up, args=(board,))  # the stream's greenlet
    writer.start()
    data = b""
    while b'"number":3' not in data:
        data += peer.recv(1 << 20)
    writer.join(5)
    assert not slow.backlog and not slow.behind and not slow.dead
    events = []
    while data:  # strictly size CRLF event CRLF, twice, nothing else
        size, _, data = data.partition(b"\r\n")
        event, data = data[:int(size, 16)], data[int(size, 16):]
        assert data.startswith(b"\r\n")
        data = data[2:]
        events.append(event)
    assert len(events) == 2 and b'"number":2' in events[0] and events[1] == board.current[1]


def test_a_phone_that_is_writing_itself_is_not_written_to_by_the_board(opened):
    board = Board(1)
    busy, peer = phone(opened)
    busy.busy = True  # its greenlet is in the middle of a keepalive
    board.direct.add(busy)
    board.publish(state(2))
    peer.setblocking(False)
    with pytest.raises(BlockingIOError):
        peer.recv(100)
    assert busy.behind and busy.wake.is_set()
    busy.busy = False
    busy.catch_up(board)
    peer.settimeout(2)
    framed = b"%X\r\n" % len(board.current[1]) + board.current[1] + b"\r\n"
    assert received(peer, len(framed)) == framed


def test_a_phone_that_left_is_marked_and_the_others_still_get_the_change(opened):
    board = Board(1)
    gone, gone_peer = phone(opened)
    staying, staying_peer = phone(opened)
    gone_peer.close()
    board.direct.update({gone, staying})
    for number in (2, 3):  # the first send may still be accepted by the kernel; the second is refused
        board.publish(state(number))
    assert gone.dead and gone.wake.is_set()
    data = b""
    while b'"number":3' not in data:
        data += staying_peer.recv(1 << 16)
    assert not staying.dead


def gunicorn_environ(sock, **extra):
    return dict({"gunicorn.socket": sock, "SERVER_SOFTWARE": "gunicorn/27.0.1", "REQUEST_METHOD": "GET",
                 "SERVER_PROTOCOL": "HTTP/1.1"}, **extra)


def test_only_gunicorn_s_plain_gevent_sockets_are_written_directly(app, monkeypatch, opened):
    monkeypatch.setattr(streams.monkey, "is_module_patched", lambda name: True)
    ours, theirs = socket.socketpair()
    sock = gevent.socket.socket(fileno=ours.detach())
    plain = socket.socket()
    opened += [sock, theirs, plain]
    with app.test_request_context():
        sock_, raw, chunked = streams.direct_socket(gunicorn_environ(sock))
        assert sock_ is sock and raw.gettimeout() == 0.0 and chunked
        assert streams.direct_socket(gunicorn_environ(sock, SERVER_PROTOCOL="HTTP/1.0"))[2] is False
        assert streams.direct_socket(gunicorn_environ(sock, REQUEST_METHOD="HEAD")) is None
        assert streams.direct_socket(gunicorn_environ(sock, SERVER_SOFTWARE="Werkzeug/3")) is None
        assert streams.direct_socket(gunicorn_environ(plain)) is None  # not gevent's socket

        class TLS(gevent.socket.socket):  # gevent.ssl.SSLSocket is such a subclass: its bytes must go through TLS
            pass

        tls = TLS(fileno=socket.socket().detach())
        opened.append(tls)
        assert streams.direct_socket(gunicorn_environ(tls)) is None
        app.config["LIVE_DIRECT_WRITES"] = "0"  # as the environment gives it
        assert streams.direct_socket(gunicorn_environ(sock)) is None


def test_keepalives_go_only_to_streams_that_said_nothing_for_a_while(opened):
    board = Board(1)
    idle, idle_peer = phone(opened)
    recent, recent_peer = phone(opened)
    busy, busy_peer = phone(opened)
    idle.sent_at -= KEEPALIVE_SECONDS + 1
    busy.sent_at -= KEEPALIVE_SECONDS + 1
    busy.busy = True  # writing an event itself: no keepalive needed, and nothing to catch up on
    board.direct.update({idle, recent, busy})
    board.keep_alive(time.monotonic(), KEEPALIVE_SECONDS)
    assert received(idle_peer, len(KEEPALIVE_CHUNK)) == KEEPALIVE_CHUNK == b"D\r\n: keepalive\n\n\r\n"
    for peer in (recent_peer, busy_peer):
        peer.setblocking(False)
        with pytest.raises(BlockingIOError):
            peer.recv(100)
    assert not busy.behind and not busy.wake.is_set()
    assert time.monotonic() - idle.sent_at < 1
