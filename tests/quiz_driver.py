"""One quiz "server" for tests/test_quiz_servers.py: the app script run by Streamlit's own script
runner (AppTest) in this process, on the database LEARN_DB_URL names, answering questions.

    python tests/quiz_driver.py WORDS.json NAME COUNT [HANG_AT]

Creates profile NAME (or picks it when it exists), answers COUNT questions right (Check, then the
suggested grade) and prints `answered N` after each. With HANG_AT, the HANG_AT-th save stops
inside its transaction — after its writes, before the commit — and prints `saving N`, so the
test can kill the process in the middle of an answer.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from learn.quiz import store as store_module

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def hang_at(n: int) -> None:
    """Make the n-th save stop before its commit (the test kills us there).

    Every save goes through the transaction path: the store forgets which words it has written, so
    that PostgreSQL's one-statement save (atomic, with nothing to stop inside) is not taken.
    """
    real, saves = store_module._save, []
    record = store_module.Store.record

    def record_in_a_transaction(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._words.clear()
        return record(self, *args, **kwargs)

    store_module.Store.record = record_in_a_transaction

    def save(conn, review, saved, word):  # type: ignore[no-untyped-def]
        saves.append(1)
        real(conn, review, saved, word)
        if len(saves) == n:
            print(f"saving {n}", flush=True)
            time.sleep(300)

    store_module._save = save


def profile(at: AppTest, name: str) -> None:
    """Choose or create the profile `name` on the first screen."""
    box = at.selectbox(key="profile")
    if name in box.options:
        box.set_value(name).run()
        return
    if box.value != box.options[-1]:  # New profile…
        box.set_value(box.options[-1]).run()
    at.text_input(key="new_profile").set_value(name)
    at.button(key="create_profile").click().run()
    assert not at.exception, at.exception


def answer_right(at: AppTest) -> None:
    """Answer the current question right, press Check, then the suggested grade."""
    question, serial = at.session_state["question"], at.session_state["serial"] % 2
    if question.mode == "pinyin":
        at.text_input(key=f"answer-{serial}").set_value(question.answer.replace(" ", ""))
    elif question.mode == "tones":
        for i, tone in enumerate(question.answer.split()):
            at.radio(key=f"tone-{serial}-{i}").set_value(int(tone))
    else:
        at.radio(key=f"answer-{serial}").set_value(question.answer)
    next(b for b in at.button if b.label == "Check").click().run()
    assert not at.exception, at.exception
    [suggested] = [b for b in at.button if b.key and b.key.startswith("grade-") and b.proto.type == "primary"]
    suggested.click().run()
    assert not at.exception, at.exception


def main(words: str, name: str, count: int, hang: int = 0) -> None:
    if hang:
        hang_at(hang)
    sys.argv = ["app.py", words]
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    profile(at, name)
    for n in range(1, count + 1):
        answer_right(at)
        print(f"answered {n}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 0)
