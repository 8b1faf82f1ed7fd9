"""Display: the HTML the quiz shows for an entry (tone colours, source sentence), escaped throughout.

Tone colours follow learn.entry.TONE_COLOURS (1 red, 2 orange, 3 green, 4 blue, neutral grey),
the convention every output of the project uses.
"""

from __future__ import annotations

import json
import re
from html import escape

from learn.entry import TONE_COLOURS, Entry, characters_with_tones

_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#|~$&:])")
_LIST_START = re.compile(r"^(\s*)([-+]|\d+\.)", re.M)

HSK_NAMES = {7: "HSK 7–9"}


def plain(text: str) -> str:
    """Text for Streamlit's markdown labels (radio options, captions, alerts) that shows as typed.

    Those labels read markdown, LaTeX ($…$) and colour directives (:red[…]): a dictionary
    sense or a source sentence could otherwise turn into a link, a formula or italics.
    """
    text = _MARKDOWN.sub(r"\\\1", text)
    return _LIST_START.sub(lambda m: m[1] + "\\" + m[2] if m[2] in "-+" else m[1] + m[2][:-1] + "\\.", text)


def _span(text: str, tone: int) -> str:
    if tone == 0:
        return escape(text)
    return f'<span style="color:{TONE_COLOURS.get(tone, "inherit")}">{escape(text)}</span>'


def coloured_characters(entry: Entry, text: str | None = None) -> str:
    """The characters (simplified, or `text` such as the traditional form), each in its tone colour."""
    return "".join(_span(ch, tone) for ch, tone in characters_with_tones(entry, text))


def coloured_pinyin(entry: Entry) -> str:
    """The tone-marked reading, each syllable in its tone colour (plain when counts disagree)."""
    syllables = entry.pinyin.split()
    tones = entry.tones
    if len(syllables) != len(tones):
        return escape(entry.pinyin)
    return " ".join(_span(s, t) for s, t in zip(syllables, tones, strict=False))


def level(entry: Entry) -> str:
    """'HSK 4', 'HSK 7–9' or 'off-list'."""
    if entry.hsk is None:
        return "off-list"
    return HSK_NAMES.get(entry.hsk, f"HSK {entry.hsk}")


def example_sentence(entry: Entry) -> str:
    """The first source sentence, as the text wrote it ('' when there is none)."""
    traditional = entry.headword != entry.simplified
    for example in entry.examples:
        sentence = (example.traditional or example.sentence) if traditional else example.sentence
        if sentence:
            return sentence
    return ""


def sentence_html(entry: Entry) -> str:
    """The first source sentence with the word in bold ('' when there is none)."""
    sentence = example_sentence(entry)
    if not sentence:
        return ""
    return f"<b>{escape(entry.headword)}</b>".join(escape(p) for p in sentence.split(entry.headword))


def entry_card(entry: Entry, colours: bool = True) -> str:
    """The full entry after an answer: characters, traditional, pinyin, zhuyin, meaning, sentence
    (in tone colours unless the learner switched them off)."""

    def chars(text: str) -> str:
        return coloured_characters(entry, text) if colours else escape(text)

    # the form of the source text first (Entry.headword), the other script beside it
    rows = [
        f'<div style="font-size:2.2rem;line-height:1.3">{chars(entry.headword)}'
        + (
            f' <span style="font-size:1.4rem">〔{chars(entry.other_form)}〕</span>'
            if entry.other_form and entry.other_form != entry.headword
            else ""
        )
        + "</div>",
        f'<div style="font-size:1.3rem">{coloured_pinyin(entry) if colours else escape(entry.pinyin)}'
        + (f' <span style="color:#666;font-size:1rem">{escape(entry.zhuyin)}</span>' if entry.zhuyin else "")
        + "</div>",
        f"<div>{escape(entry.meaning) or '<i>no definition found</i>'}</div>",
        f'<div style="color:#666;font-size:0.85rem">{escape(entry.kind)} · {escape(level(entry))}'
        + (f" · {entry.count}× in the text" if entry.count else "")
        + (
            f' · <span class="learn-new" style="color:#b35c00;font-weight:600">new since '
            f"{escape(entry.new_since)}</span>"
            if entry.new_since
            else ""
        )
        + "</div>",
    ]
    if entry.expansion:
        rows.append(f"<div>= {escape(entry.expansion)}</div>")
    if entry.parts:
        rows.append(
            "<div>"
            + " + ".join(f"{escape(p.text)} {escape(p.pinyin)} ‘{escape(p.gloss)}’" for p in entry.parts)
            + "</div>"
        )
    sentence = sentence_html(entry)
    if sentence:
        rows.append(f'<div style="margin-top:.4rem;padding:.3rem .6rem;border-left:3px solid #ccc">{sentence}</div>')
    # lang: the browser then draws Han with a Chinese font, not a fallback with Japanese glyphs and spacing
    return '<div class="learn-entry" lang="zh-CN">' + "".join(rows) + "</div>"


def picked_html(picked: str, entry: Entry, mode: str) -> str:
    """What the wrong option the learner chose means: the word behind a meaning, or the meaning of a word."""
    word = f'<b lang="zh">{escape(entry.headword)}</b> {escape(entry.pinyin)}'
    if mode == "meaning":
        what = f"You chose “{escape(picked)}”: that is the meaning of {word}."
    else:
        meaning = escape(entry.meaning) if entry.definitions else "<i>no definition found</i>"
        guess = " <i>(a guess from its parts)</i>" if entry.gloss_source == "composed" else ""
        what = f"You chose {word}: it means {meaning}{guess}."
    return f'<div class="learn-picked" style="margin:.3rem 0 .6rem">{what}</div>'


def js_string(text: str) -> str:
    """A JavaScript string literal safe inside an HTML <script> (no </script>, <!--, or line separators)."""
    literal = json.dumps(text, ensure_ascii=True)
    return literal.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def remember_cookie_html(name: str, value: str, days: int | None = 365) -> str:
    """A script that keeps `value` in a cookie of this browser (Streamlit can read cookies, not set them).

    days=None: until the browser closes; days=0: the cookie is deleted.
    """
    lasts = "" if days is None else f"; max-age={days * 86400}"
    return (
        f"<script>document.cookie = {js_string(name)} + '=' + encodeURIComponent({js_string(value)})"
        f" + '; path=/{lasts}; SameSite=Strict';</script>"
    )


def speech_html(word: str, sentence: str = "") -> str:
    """Buttons that read the word (and its sentence) aloud with the browser's speech synthesis, zh-CN.

    Nothing is downloaded: the browser's own voices speak, a Chinese one when it has one. Without
    speech synthesis or a Chinese voice (Debian's Chromium has none) the component says so beside
    the buttons as soon as it knows — not only after a click that stays silent.
    """
    buttons = ['<button type="button" id="say-word">Play the word</button>']
    if sentence:
        buttons.append('<button type="button" id="say-sentence">Play the sentence</button>')
    return f"""<div class="learn-speech" style="font-family:sans-serif;font-size:14px">
{" ".join(buttons)}<div id="say-note" style="color:#666;font-size:13px;margin-top:3px"></div>
<style>button{{padding:4px 10px;margin-right:6px;border:1px solid #bbb;border-radius:6px;background:#fafafa;
cursor:pointer;font-size:14px}}button:hover{{border-color:#e53935}}</style>
<script>
(function () {{
  var texts = {{"say-word": {js_string(word)}, "say-sentence": {js_string(sentence)}}};
  var synth = window.speechSynthesis;
  var note = document.getElementById("say-note");
  var speaks = !!synth && typeof SpeechSynthesisUtterance !== "undefined";
  function chinese() {{
    var voices = speaks && synth.getVoices ? synth.getVoices() : [];
    return voices.filter(function (v) {{ return /^zh/i.test(v.lang); }});
  }}
  function explain() {{
    if (!speaks) {{ note.textContent = "This browser cannot speak: the Play buttons stay silent."; return; }}
    note.textContent = chinese().length ? "" : "No Chinese voice in this browser: the Play buttons stay " +
      "silent until a Chinese (zh-CN) voice is installed on this device.";
  }}
  function say(text) {{
    explain();
    if (!speaks) return;
    synth.cancel();
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "zh-CN";
    utterance.rate = 0.85;
    var zh = chinese();
    var voice = zh.filter(function (v) {{ return /^zh[-_]CN/i.test(v.lang); }})[0] || zh[0] || null;
    if (voice) utterance.voice = voice;
    synth.speak(utterance);
  }}
  if (speaks && synth.addEventListener) synth.addEventListener("voiceschanged", explain);
  setTimeout(explain, 600);          // voices often arrive a moment after the page
  Object.keys(texts).forEach(function (id) {{
    var button = document.getElementById(id);
    if (button) button.addEventListener("click", function () {{ say(texts[id]); }});
  }});
}})();
</script></div>"""


def fold_sidebar_html() -> str:
    """A script that folds the sidebar away on a narrow screen (a phone), where it would cover the page."""
    return """<script>
(function () {
  if (!window.matchMedia("(max-width: 767px)").matches) return;
  function fold(tries) {
    var sidebar = document.querySelector('[data-testid="stSidebar"]');
    var button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (sidebar && button && sidebar.getBoundingClientRect().right > 0) { button.click(); return; }
    if (tries > 0) setTimeout(function () { fold(tries - 1); }, 100);
  }
  fold(20);
})();
</script>"""


def paste_guard_html(label: str, limit: int, advice: str) -> str:
    """A note under the text area labelled `label`, and a guard that refuses a paste or drop that
    would take it past `limit` characters before the browser puts it in (a 5 MB paste froze a
    tab for minutes), saying why and what to do instead (`advice`)."""
    return f"""<div id="learn-paste-note" role="alert" style="color:#b00020;font-size:0.9rem"></div><script>
(function () {{
  var LABEL = {js_string(label)}, LIMIT = {int(limit)}, ADVICE = {js_string(advice)};
  function guard(event, text) {{
    var box = event.target;
    if (!box || box.tagName !== "TEXTAREA" || box.getAttribute("aria-label") !== LABEL) return;
    var note = document.getElementById("learn-paste-note");
    var selected = box.selectionEnd - box.selectionStart;
    var total = box.value.length - selected + text.length;
    if (total <= LIMIT) {{ if (note) note.textContent = ""; return; }}
    event.preventDefault();
    event.stopImmediatePropagation();
    if (note) note.textContent = "Not pasted: that would make " + total.toLocaleString("en") +
      " characters, and this box takes " + LIMIT.toLocaleString("en") + ". " + ADVICE;
  }}
  if (window.__learnPasteGuard) return;
  window.__learnPasteGuard = true;
  document.addEventListener("paste", function (e) {{
    guard(e, (e.clipboardData && e.clipboardData.getData("text")) || ""); }}, true);
  document.addEventListener("drop", function (e) {{
    guard(e, (e.dataTransfer && e.dataTransfer.getData("text")) || ""); }}, true);
}})();
</script>"""
