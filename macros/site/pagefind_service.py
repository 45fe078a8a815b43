"""One Pagefind index built by `pagefind --service`, its records sent through a pipe.

Pagefind's command-line indexer reads a folder of HTML files. For a catalogue of 13,300
resources that meant writing, reading and deleting about 27,000 temporary files, which
cost more than the indexing itself. The service takes the same HTML on its standard input
and writes the same bundle (fed the same records in the same order: the same files, byte
for byte), while the build is still producing the records.

The protocol is the one Pagefind's own Node and Python wrappers speak: each message is
JSON, base64-encoded, followed by a comma; answers come back the same way, in order. The
Python wrapper (the `pagefind` package) waits 0.1 s before reading each answer, which is
45 minutes for 27,000 records, so the messages are written here directly.
"""

from __future__ import annotations

import base64
import json
import subprocess
import tempfile
import threading


class PagefindServiceError(Exception):
    """The service refused a record or stopped before writing the bundle."""


class PagefindService:
    """A `pagefind --service` process holding one index (config: Pagefind's index options,
    e.g. force_language). add() sends a page; write() writes the bundle and ends the process."""

    def __init__(self, executable: str, config: dict):
        self._errors_file = tempfile.TemporaryFile()
        self.process = subprocess.Popen([executable, "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self._errors_file)
        self._sent = 0
        self.indexed = 0  # pages the service has answered for
        self.refused: list[str] = []  # its error messages
        self.written = False
        self._finished = threading.Event()  # the bundle is written, or the process ended
        try:
            self._send({"type": "NewIndex", "config": config})
            answer = self._read_one()
            if answer is None or answer.get("type") != "NewIndex":
                raise self._failure(f"did not create an index: {answer}")
        except BaseException:
            self.close()
            raise
        self.index_id = answer["index_id"]
        # Answers are read as they come: unread, they would fill the pipe and stop the service.
        self._reader = threading.Thread(target=self._read_answers, daemon=True)
        self._reader.start()

    def add(self, html: str, url: str) -> None:
        """Index one page; url: the address Pagefind stores for it."""
        self._send({"type": "AddFile", "index_id": self.index_id, "file_path": None, "url": url, "file_contents": html})

    def write(self, output_path: str) -> int:
        """Write the bundle into output_path; returns the number of pages indexed."""
        self._send({"type": "WriteFiles", "index_id": self.index_id, "output_path": output_path})
        self._flush()
        self._finished.wait()
        # Only now: at the end of its input the service exits at once, even mid-work.
        self._close_input()
        self._reader.join()
        self.process.wait()
        if self.refused:
            raise self._failure("; ".join(self.refused[:3]))
        if not self.written:
            raise self._failure("stopped before writing the bundle")
        return self.indexed

    def close(self) -> None:
        """Stop the process (after an error elsewhere); write() needs no close()."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._close_input()
        self._errors_file.close()

    # -- the protocol -------------------------------------------------------------------
    def _send(self, payload: dict) -> None:
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload}, ensure_ascii=False)
        try:
            self.process.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
        except (BrokenPipeError, ValueError):
            raise self._failure("stopped while taking records") from None

    def _flush(self) -> None:
        try:
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError):
            raise self._failure("stopped while taking records") from None

    def _close_input(self) -> None:
        try:
            self.process.stdin.close()
        except (BrokenPipeError, ValueError):
            pass

    def _read_one(self) -> dict | None:
        self._flush()
        raw = bytearray()
        while not raw.endswith(b","):
            chunk = self.process.stdout.read(1)
            if not chunk:
                return None
            raw += chunk
        return json.loads(base64.b64decode(raw[:-1]))["payload"]

    def _read_answers(self) -> None:
        pending = b""
        try:
            while chunk := self.process.stdout.read1(1 << 16):
                *answers, pending = (pending + chunk).split(b",")
                for answer in answers:
                    payload = json.loads(base64.b64decode(answer))["payload"]
                    kind = payload.get("type")
                    if kind == "IndexedFile":
                        self.indexed += 1
                    elif kind == "Error":
                        self.refused.append(str(payload.get("message")))
                    elif kind == "WriteFiles":
                        self.written = True
                        self._finished.set()
        finally:
            self._finished.set()

    def _failure(self, what: str) -> PagefindServiceError:
        self._errors_file.seek(0)
        errors = self._errors_file.read().decode("utf-8", "replace").strip()
        return PagefindServiceError(f"pagefind --service {what}" + (f": {errors[-2000:]}" if errors else ""))
