"""A browser stand-in that speaks Streamlit's own websocket protocol, for tests and benchmarks.

A browser loads the page, opens a websocket on /_stcore/stream and sends one BackMsg per click:
the value of every widget it shows, plus the clicked button's trigger. The server runs the script
(or one fragment of it) and streams ForwardMsgs back: the elements it draws, each widget with an id
that ends in the widget's key, and finally `script_finished`. `Page` does the same with the
`websockets` package, so one asyncio process can stand for hundreds of learners, each with its
own cookies (a reverse proxy's sticky cookie among them) and its own URL query string.

What a browser would run as JavaScript is out of reach, with one exception the quiz relies on: the
app's cookie scripts (learn.quiz.display.remember_cookie_html) are read and applied to the jar.

`Learner` drives the quiz on top of it: open the page (class mode: sign in with the PIN, which a
cookie then remembers), answer the question shown, press Check, press the suggested grade. Each
click is one timed action; what was answered is kept for checking against the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

_COOKIE_SCRIPT = re.compile(
    r"document\.cookie = (\"(?:[^\"\\]|\\.)*\") \+ '=' \+ encodeURIComponent\((\"(?:[^\"\\]|\\.)*\")\)"
    r" \+ '; path=/(?:; max-age=(\d+))?"
)
_FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
_STRING_WIDGETS = {"radio", "selectbox", "text_input", "text_area"}
MODE_OF_CAPTION = {  # the question's caption begins with the mode's label (learn.quiz.questions.MODES)
    "Meaning": "meaning",
    "Reverse": "reverse",
    "Pinyin": "pinyin",
    "Tone": "tones",
    "Cloze": "cloze",
    "Simplified": "script",
}


class PageError(RuntimeError):
    """The server showed an exception, closed the connection, or did not finish a run in time."""


@dataclass
class Shown:
    """One element of the page: where it is, what kind, the element itself, its fragment."""

    path: tuple[int, ...]
    kind: str
    element: Element
    fragment: str

    @property
    def widget(self) -> Any:
        return getattr(self.element, self.kind)

    @property
    def text(self) -> str:
        body = getattr(self.widget, "body", None)
        return body if isinstance(body, str) else ""


async def http_get(url: str, cookies: dict[str, str], timeout: float = 30.0) -> int:
    """GET `url` as a browser's first request, keeping the cookies it sets; returns the status."""
    parts = urlsplit(url)
    reader, writer = await asyncio.wait_for(asyncio.open_connection(parts.hostname, parts.port or 80), timeout)
    try:
        head = f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n"
        if cookies:
            head += f"Cookie: {cookie_header(cookies)}\r\n"
        writer.write((head + "\r\n").encode())
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    lines = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "set-cookie":
            key, _, rest = value.strip().partition("=")
            cookies[key] = rest.split(";", 1)[0]
    return int(lines[0].split()[1])


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


class Page:
    """One browser tab on a Streamlit app: its cookies, URL query, widget values and elements."""

    def __init__(self, base: str, query: dict[str, str] | None = None, timeout: float = 120.0):
        self.base = base.rstrip("/")
        self.query = urlencode(query or {})
        self.cookies: dict[str, str] = {}
        self.timeout = timeout
        self.ws: Any = None
        self.session_id = ""
        self.elements: dict[tuple[int, ...], Shown] = {}
        self.latest: list[Shown] = []  # the elements of the last run, in order
        self.values: dict[str, WidgetState] = {}  # widget id → the value this tab sends
        self.errors: list[str] = []

    # connection -------------------------------------------------------------------------------
    async def open(self) -> None:
        """Load the page (the first request sets a proxy's sticky cookie) and run the script."""
        await self.close()
        self.elements, self.latest, self.values = {}, [], {}
        await http_get(self.base + "/", self.cookies, self.timeout)
        url = "ws" + self.base[4:] + "/_stcore/stream"
        headers = {"Cookie": cookie_header(self.cookies)} if self.cookies else {}
        self.ws = await asyncio.wait_for(
            websockets.connect(
                url, subprotocols=["streamlit"], additional_headers=headers, max_size=None, open_timeout=self.timeout
            ),
            self.timeout,
        )
        await self.run()

    async def close(self) -> None:
        if self.ws is not None:
            ws, self.ws = self.ws, None
            with contextlib.suppress(OSError, TimeoutError, websockets.WebSocketException):
                await asyncio.wait_for(ws.close(), 5)

    # running ----------------------------------------------------------------------------------
    async def run(self, trigger: str = "", fragment: str = "") -> None:
        """Send every widget value (and `trigger`, a button's id) and read until the run finishes."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.fragment_id = fragment
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-GB"
        state.context_info.url = f"{self.base}/?{self.query}" if self.query else self.base + "/"
        state.widget_states.widgets.extend(self.values.values())
        if trigger:
            state.widget_states.widgets.append(WidgetState(id=trigger, trigger_value=True))
        self.errors = []
        if fragment:
            self.latest = [s for s in self.latest if s.fragment != fragment]
        else:
            self.latest = []
        try:
            await self.ws.send(msg.SerializeToString())
            await asyncio.wait_for(self._read_run(), self.timeout)
        except (OSError, TimeoutError, websockets.WebSocketException) as err:
            raise PageError(f"{type(err).__name__}: {err}") from None
        if self.errors:
            raise PageError(self.errors[-1])

    async def _read_run(self) -> None:
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await self.ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "delta":
                self._delta(msg)
            elif kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "script_finished" and msg.script_finished in _FINISHED:
                self._forget_stale(msg.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
                return

    def _delta(self, msg: ForwardMsg) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type") or ""
        shown = Shown(tuple(msg.metadata.delta_path), kind, element, delta.fragment_id)
        self.elements[shown.path] = shown
        self.latest.append(shown)
        if kind == "exception":
            self.errors.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "html":
            self._cookie_scripts(element.html.body)

    def _cookie_scripts(self, body: str) -> None:
        for name, value, age in _COOKIE_SCRIPT.findall(body):
            if age == "0":
                self.cookies.pop(json.loads(name), None)
            else:
                self.cookies[json.loads(name)] = json.loads(value)

    def _forget_stale(self, fragment_run: bool) -> None:
        """After a run, as a browser does: only the widgets on the page keep a value to send (a
        fragment's run replaces that fragment's elements; a full run replaces all)."""
        if not fragment_run:
            self.elements = {s.path: s for s in self.latest}
        ids = {s.widget.id for s in self.latest if hasattr(s.widget, "id")}
        self.values = {k: v for k, v in self.values.items() if k in ids}

    # looking and clicking ---------------------------------------------------------------------
    def find(self, key: str) -> Shown | None:
        """The widget whose key is `key` (its id ends with "-key"), newest first."""
        for shown in reversed(self.latest):
            if getattr(shown.widget, "id", "").endswith("-" + key):
                return shown
        return None

    def buttons(self) -> list[Shown]:
        return [s for s in self.latest if s.kind == "button"]

    def texts(self, kind: str | None = None) -> list[str]:
        return [s.text for s in self.latest if (kind is None or s.kind == kind) and s.text]

    def set(self, key: str, value: str) -> Shown:
        """Give a text, radio or select widget a value (sent with the next run)."""
        shown = self.find(key)
        if shown is None or shown.kind not in _STRING_WIDGETS:
            raise PageError(f"no widget {key!r} on the page; shown: {self.texts()[:6]}")
        self.values[shown.widget.id] = WidgetState(id=shown.widget.id, string_value=value)
        return shown

    async def click(self, shown: Shown) -> None:
        """Press a button (or a form's submit button): one run, of its fragment when it has one."""
        await self.run(trigger=shown.widget.id, fragment=shown.fragment)


@dataclass
class Answer:
    """One graded answer as the learner saw it: mode, what was sent, and the round trips."""

    mode: str
    answer: str
    grade: str


@dataclass
class Learner:
    """A simulated learner on the quiz: opens the page, signs in, answers, grades."""

    base: str
    name: str
    pin: str = ""  # class mode when set
    seed: int = 0
    times: list[float] = field(default_factory=list)  # seconds per action
    answers: list[Answer] = field(default_factory=list)
    reloads: int = 0
    pins_typed: int = 0  # class mode: how often the PIN had to be typed (a kept sign-in needs it once)
    page: Page = field(init=False)
    _pending: tuple[str, str] = ("", "")

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.page = Page(self.base, {} if self.pin else {"learner": self.name})

    async def open(self) -> None:
        """Open the page; in class mode sign in unless a cookie already did."""
        await self.page.open()
        if self.pin and self.page.find("sign_out") is None:
            self.page.set("profile", self.name)
            await self.page.run()
            self.page.set("pin", self.pin)
            await self.page.click(self._button("sign_in"))
            self.pins_typed += 1
        if self._question_area() is None:
            raise PageError(f"{self.name}: no question after opening; shown: {self.page.texts()[:6]}")

    async def reload(self) -> None:
        """What a learner does when the page broke: reload it (same cookies, same URL)."""
        self.reloads += 1
        await self.open()

    def _button(self, key: str) -> Shown:
        shown = self.page.find(key)
        if shown is None:
            raise PageError(f"{self.name}: no button {key!r}; shown: {self.page.texts()[:6]}")
        return shown

    def _question_area(self) -> str | None:
        """'question' while a question waits for an answer, 'feedback' while grades are offered."""
        if any((getattr(s.widget, "id", "") or "").endswith("-grade-Good") for s in self.page.latest):
            return "feedback"
        if any(s.kind == "button" and s.widget.label == "Check" for s in self.page.latest):
            return "question"
        return None

    def _mode(self) -> str:
        for caption in self.page.texts("markdown"):
            for label, mode in MODE_OF_CAPTION.items():
                if caption.startswith(label):
                    return mode
        return "?"

    async def timed(self, action: Any) -> None:
        began = time.perf_counter()
        await action
        self.times.append(time.perf_counter() - began)

    async def answer(self) -> str:
        """Fill in the shown question (any answer: right or wrong does not matter here) and press Check."""
        page = self.page
        mode = self._mode()
        chosen = ""
        tones = [s for s in page.latest if s.kind == "radio" and re.search(r"-tone-\d+-\d+$", s.widget.id)]
        if tones:
            picked = [self.rng.choice(list(s.widget.options)) for s in tones]
            for shown, label in zip(tones, picked, strict=True):
                page.values[shown.widget.id] = WidgetState(id=shown.widget.id, string_value=label)
            chosen = " ".join(label.split()[0] for label in picked).replace("neutral", "5")
        else:
            box = next((s for s in page.latest if re.search(r"-answer-\d+$", getattr(s.widget, "id", "") or "")), None)
            if box is None:
                raise PageError(f"{self.name}: no answer field; shown: {page.texts()[:6]}")
            if box.kind == "text_input":
                chosen = self.rng.choice(["xin1zhi4", "fa1zhan3", "ce4shi4"])
            else:
                chosen = self.rng.choice(list(box.widget.options))
            page.values[box.widget.id] = WidgetState(id=box.widget.id, string_value=chosen)
        check = next(s for s in page.latest if s.kind == "button" and s.widget.label == "Check")
        await self.timed(page.click(check))
        self._pending = (mode, chosen)
        return chosen

    async def grade(self) -> None:
        """Press the suggested grade (the primary one of the four)."""
        grades = [s for s in self.page.latest if s.kind == "button" and "-grade-" in s.widget.id]
        if not grades:
            raise PageError(f"{self.name}: no grade buttons; shown: {self.page.texts()[:6]}")
        suggested = next((s for s in grades if s.widget.type == "primary"), grades[0])
        await self.timed(self.page.click(suggested))
        mode, chosen = self._pending
        self.answers.append(Answer(mode, chosen, suggested.widget.label))

    async def step(self) -> None:
        """One action: answer the open question, or grade the answered one."""
        if self._question_area() == "feedback":
            await self.grade()
        else:
            await self.answer()
