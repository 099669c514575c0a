#!/usr/bin/python3
"""A tiny HTTP file server for the tests of scripts/get-model.sh (Debian's python3, stdlib only).

Serves the files of one folder by their path below it, with what the stock http.server lacks:
HTTP Range requests ("Range: bytes=N-" and "bytes=N-M": 206 Partial Content, 416 past the end).
For the tests it can also misbehave on purpose:
  --truncate-first N   the first GET that sends a body promises the whole rest (Content-Length)
                       but sends only N bytes of it, then closes the connection (a dropped
                       download); later requests are served normally
  --no-range           ignore Range headers: always 200 with the whole file (a server that
                       cannot resume)
Every request is logged as one line to --log: "GET /path range=bytes=N-" (range=- without one),
flushed at once. The server binds 127.0.0.1 on a free port and writes the port to --port-file
(written to a temp name and renamed, so a reader never sees half a number). It runs until killed.

  /usr/bin/python3 tests/support/range_http_server.py --root DIR --port-file F --log L
"""
import argparse
import http.server
import os
import re
import socketserver
import sys
import threading


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--truncate-first", type=int, default=-1)
    ap.add_argument("--no-range", action="store_true")
    args = ap.parse_args()
    root = os.path.realpath(args.root)
    state = {"truncate": args.truncate_first}
    lock = threading.Lock()
    log = open(args.log, "a", buffering=1)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *a):  # quiet: the --log file is the record
            pass

        def _file(self):
            rel = self.path.split("?", 1)[0].lstrip("/")
            path = os.path.realpath(os.path.join(root, rel))
            if not path.startswith(root + os.sep) or not os.path.isfile(path):
                return None
            return path

        def _send_error(self, code, extra=None):
            self.send_response(code)
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _serve(self, with_body):
            rng = self.headers.get("Range")
            with lock:
                log.write("%s %s range=%s\n" % (self.command, self.path, rng or "-"))
            path = self._file()
            if path is None:
                return self._send_error(404)
            size = os.path.getsize(path)
            start, end = 0, size - 1
            partial = False
            if rng and not args.no_range:
                m = re.fullmatch(r"bytes=(\d+)-(\d*)", rng.strip())
                if not m:
                    return self._send_error(416, {"Content-Range": "bytes */%d" % size})
                start = int(m.group(1))
                if m.group(2):
                    end = min(int(m.group(2)), size - 1)
                if start >= size or start > end:
                    return self._send_error(416, {"Content-Range": "bytes */%d" % size})
                partial = True
            length = end - start + 1
            self.send_response(206 if partial else 200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Accept-Ranges", "none" if args.no_range else "bytes")
            self.send_header("Content-Length", str(length))
            if partial:
                self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
            self.end_headers()
            if not with_body:
                return
            send = length
            with lock:
                cut = state["truncate"]
                if cut >= 0:
                    state["truncate"] = -1
                    send = min(cut, length)
            try:
                with open(path, "rb") as f:
                    f.seek(start)
                    left = send
                    while left > 0:
                        chunk = f.read(min(left, 1 << 16))
                        if not chunk:
                            break
                        self.wfile.write(chunk)
                        left -= len(chunk)
                if send < length:  # a dropped connection: the client sees fewer bytes than promised
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
            except (BrokenPipeError, ConnectionResetError):  # the client hung up (e.g. curl on a 200 to a Range)
                self.close_connection = True

        def do_GET(self):
            self._serve(True)

        def do_HEAD(self):
            self._serve(False)

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True

        def handle_error(self, request, client_address):  # a client that hung up is no error here
            if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), Handler)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, args.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
