"""Draw PNG charts in a second process, which imports matplotlib while the command computes.

Importing matplotlib and drawing a chart take about a second of ``icb-model montecarlo``,
``sensitivity`` and ``grid``, while the other core of a small machine is mostly idle. So a command
that will draw PNGs starts a :class:`PngRenderer` first, before any thread of its own: the child
process imports matplotlib and draws a small figure (which loads the fonts) on that other core
(beside the Monte Carlo's threads, at a lower priority: :data:`BEHIND_THREADS`), then draws each
figure it is sent and sends back the PNG's bytes. The command sends a figure
before writing the figure's HTML, so the drawing overlaps that too.

The images are those :func:`model.output.png.png_bytes` draws in-process, from the same code:
the parent sends :func:`model.output.png.spec` of the figure (pickled; the child imports neither
plotly nor pandas) and the child answers with :func:`model.output.png.draw` of it.

The child writes no file, so it may be stopped at any moment: :meth:`PngRenderer.close` kills it
when the command ends in an error, Ctrl+C or SIGTERM, and otherwise ends its input, on which it
exits; a command killed outright ends that input too. Every exchange with it is bounded by
``within`` seconds. Whatever goes wrong (no process, no matplotlib, a crash, no answer) raises
:class:`RendererError` saying what, and :func:`model.output.charts.export` reports that as the
command's ``png_problem``, with the HTML written.
"""

from __future__ import annotations

import os
import pickle
import selectors
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from model.output.charts import Figure

ANSWER_WITHIN = 60.0
"""Seconds to wait for any one exchange with the renderer (sending a figure, or its image coming
back, including the renderer's start). Drawing takes well under a second once matplotlib is
loaded; the first import on a new machine also builds matplotlib's font cache, in seconds."""

BEHIND_THREADS = 10
"""A niceness for a renderer beside a command whose own threads use every core (the Monte Carlo's
chunks): they come first, and the renderer warms up on what they leave. ``montecarlo base --draws
10000`` was about 5% faster end to end so than with the renderer at the command's own priority;
``sensitivity``, which has no threads, was slower so on a busy machine, and keeps niceness 0."""

T = TypeVar("T")

_LENGTH = struct.Struct("!Q")
"""Every request and answer gives its length first, in 8 bytes."""
_IMAGE, _PROBLEM = b"I", b"P"
"""The first byte of an answer: a PNG image follows, or why there is none (UTF-8 text)."""

_WARM_UP = {"data": [{"type": "scatter", "x": ["a"], "y": [0.0], "name": "warm-up"}],
            "layout": {"title": {"text": "warm-up"}, "width": 100, "height": 100}}
"""A tiny figure the child draws on starting: it loads what the first real figure needs."""


class RendererError(Exception):
    """A PNG the renderer could not give, and why (in words, for the command's note)."""


class PngRenderer:
    """A child process that draws PNG charts (see the module docstring); a context manager that
    closes it. :attr:`problem` says why it cannot draw any more, once that is known."""

    def __init__(self, within: float = ANSWER_WITHIN, niceness: int = 0) -> None:
        self.within = within
        self.problem: str | None = None
        self._process: subprocess.Popen[bytes] | None = None
        try:
            # -m in the folder holding this package: the child imports the same code as this process.
            self._process = subprocess.Popen([sys.executable, "-m", __name__, str(niceness)],
                                             cwd=Path(__file__).resolve().parents[2], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except (OSError, ValueError) as error:
            self.problem = f"the PNG renderer could not start ({type(error).__name__}: {error})"
            return
        for pipe in self._pipes():
            os.set_blocking(pipe.fileno(), False)

    @property
    def pid(self) -> int | None:
        """The renderer's process id, while it runs."""
        return None if self._process is None else self._process.pid

    def pngs(self, figures: Sequence[Figure], scale: float = 2.0) -> Iterator[bytes]:
        """Send every figure to be drawn now, and return their PNG images, in order, as they come
        back; taking one raises :class:`RendererError` if it cannot be had (this never does)."""
        from model.output.png import spec

        for fig in figures:
            request = pickle.dumps((spec(fig), scale), protocol=pickle.HIGHEST_PROTOCOL)
            try:
                self._exchange(partial(self._write, _LENGTH.pack(len(request)) + request))
            except RendererError:  # kept as self.problem, which the images raise
                break
        return self._images(len(figures))

    def close(self, at_once: bool = False) -> None:
        """End the renderer and wait for it: by ending its input (it exits when idle), or, ``at_once``
        or when it does not exit within ``within`` seconds, by killing it."""
        process, self._process = self._process, None
        if process is None:
            return
        assert process.stdin is not None and process.stdout is not None
        if at_once:
            process.kill()
        process.stdin.close()
        try:
            process.wait(self.within)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        self.problem = self.problem or "the PNG renderer was closed"

    def __enter__(self) -> PngRenderer:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close(at_once=kind is not None)

    def _images(self, count: int) -> Iterator[bytes]:
        for _ in range(count):
            kind, body = self._exchange(self._answer)
            if kind != _IMAGE:
                raise RendererError(body.decode("utf-8", "replace"))
            yield body

    def _exchange(self, step: Callable[[], T]) -> T:
        """``step()``, unless the renderer has already failed; a failure now kills it and is kept
        as :attr:`problem`."""
        if self.problem is not None:
            raise RendererError(self.problem)
        try:
            return step()
        except RendererError as error:
            self.problem = str(error)
            self.close(at_once=True)
            raise

    def _answer(self) -> tuple[bytes, bytes]:
        deadline = time.monotonic() + self.within
        head = self._read(1 + _LENGTH.size, deadline)
        return head[:1], self._read(_LENGTH.unpack(head[1:])[0], deadline)

    def _write(self, data: bytes) -> None:
        stdin = self._pipes()[0]
        deadline, view = time.monotonic() + self.within, memoryview(data)
        while view:
            self._wait(stdin, selectors.EVENT_WRITE, deadline)
            try:
                view = view[os.write(stdin.fileno(), view):]
            except BlockingIOError:
                continue
            except OSError:  # the other end is closed: the renderer has stopped
                raise RendererError(self._stopped()) from None

    def _read(self, size: int, deadline: float) -> bytes:
        stdout = self._pipes()[1]
        data = bytearray()
        while len(data) < size:
            self._wait(stdout, selectors.EVENT_READ, deadline)
            try:
                chunk = os.read(stdout.fileno(), size - len(data))
            except BlockingIOError:
                continue
            if not chunk:
                raise RendererError(self._stopped())
            data += chunk
        return bytes(data)

    def _wait(self, pipe: IO[bytes], event: int, deadline: float) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(pipe, event)
            if not selector.select(max(deadline - time.monotonic(), 0.0)):
                raise RendererError(f"the PNG renderer gave no answer within {self.within:g} s")

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        process = self._process
        assert process is not None and process.stdin is not None and process.stdout is not None
        return process.stdin, process.stdout

    def _stopped(self) -> str:
        code = None if self._process is None else self._process.poll()
        return "the PNG renderer stopped" + ("" if code is None else f" (exit status {code})")


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """The child's side: warm up, then answer each figure sent on ``requests`` with its PNG (or
    why not) on ``answers``, until ``requests`` ends."""
    try:
        from model.output import png

        png.draw(_WARM_UP, scale=0.5)
        problem = None
    except Exception as error:  # noqa: BLE001 - said in answer to every figure, not here
        problem = f"the PNG renderer cannot draw ({type(error).__name__}: {error})"
    while len(head := requests.read(_LENGTH.size)) == _LENGTH.size:
        request = requests.read(_LENGTH.unpack(head)[0])
        try:
            if problem is not None:
                raise RendererError(problem)
            figure, scale = pickle.loads(request)  # from the parent, down its own pipe: trusted
            kind, body = _IMAGE, png.draw(figure, scale)
        except RendererError as error:
            kind, body = _PROBLEM, str(error).encode()
        except Exception as error:  # noqa: BLE001 - one figure that cannot be drawn is said, not fatal
            kind, body = _PROBLEM, f"drawing failed ({type(error).__name__}: {error})".encode()
        answers.write(kind + _LENGTH.pack(len(body)) + body)
        answers.flush()


if __name__ == "__main__":
    os.nice(int(sys.argv[1]))
    # Answers go on a copy of standard output, and standard output itself to standard error, so
    # that nothing a library prints can fall into an answer.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.buffer, answers)
    os._exit(0)  # at once: the interpreter's own clean-up takes longer than a chart, and has nothing to save
