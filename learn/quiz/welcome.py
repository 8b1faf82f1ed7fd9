"""Welcome: the first screen — who is practising — and this browser's standing with the server.

"Who are you?", the class PIN and the new-profile form sit in the main area of the first screen, so
that a phone (where the sidebar is folded away) shows them at once; once a profile is chosen the
sidebar only says whose it is, and on a narrow screen it is folded shut so that it does not cover
the first question.

Nobody is put into a profile by default. On one's own machine the choice is remembered by this
browser (?learner=… in its URL and a cookie); in class mode the URL only preselects the name, and
the PIN decides. A browser that signs in (or makes a profile) gets a trust token in a cookie, which
lets it past pauses that other browsers' wrong guesses caused (learn.quiz.auth), and a sign-in token
in a cookie until it closes, which keeps it signed in after a reload, a restarted server or a move
to another worker process (learn.quiz.signins).
"""

from __future__ import annotations

from urllib.parse import unquote

import streamlit as st
from sqlalchemy.engine import Engine

from learn.errors import LearnError
from learn.quiz.auth import Attempt, Auth, Client, check_new_pin, class_mode, learner_subject
from learn.quiz.display import fold_sidebar_html, plain, remember_cookie_html
from learn.quiz.signins import LEARNER_COOKIE, TEACHER_COOKIE, SignIns, teacher_subject
from learn.quiz.store import MAX_NAME, Store

NEW_PROFILE = "New profile…"  # plain text: an emoji shows as a box where no emoji font is installed
COOKIE = "learn_learner"  # own machine only: the profile this browser chose last
TRUST_COOKIE = "learn_trust_"  # + subject: this browser's trust token for that profile
TRUST_DAYS = 180
NAME_LABEL = f"Your name (at most {MAX_NAME} characters)"


def choose_learner(store: Store, auth: Auth) -> tuple[int, str] | None:
    """The learner of this browser session, or None while the first screen is showing."""
    state = st.session_state
    state.sign_in_engine = store.engine  # for Sign out, a callback, to end this browser's sign-ins
    if class_mode():
        learner = state.get("signed_in") or restored_sign_in(store)
        if learner is None:
            _class_first_screen(store, auth)
    else:
        learner = _picked_learner(store, auth)
    write_trust_cookies()
    if learner is not None:
        if st.query_params.get("learner") != learner[1]:
            st.query_params["learner"] = learner[1]
        _signed_in_sidebar(learner)
        if state.get("welcomed") != learner:  # just chosen: fold the sidebar on a phone, once
            state.welcomed = learner
            with st.sidebar:
                st.html(fold_sidebar_html(), unsafe_allow_javascript=True)
    return learner


# --- the first screen ------------------------------------------------------------------------


def _remembered() -> str:
    """The profile this browser chose last time: its URL (?learner=…), else its cookie (own machine only)."""
    wanted = st.query_params.get("learner", "")
    if wanted or class_mode() or st.session_state.get("switching"):
        return wanted
    return _remembered_cookie()


def _remembered_cookie() -> str:
    return unquote(_cookie(COOKIE))


def _cookie(name: str) -> str:
    """This browser's cookie `name` ('' when absent, or outside a real browser session)."""
    value = st.context.cookies.get(name, "")
    return value if isinstance(value, str) else ""


def _profile_box(names: list[str]) -> str | None:
    """The "Who are you?" list: existing names (no progress shown) and New profile….

    Only the name this browser chose before is preselected (see _remembered), or New profile…
    when there is no profile at all; never someone else's profile (such as the last one created).
    """
    state = st.session_state
    if state.get("profile") not in [*names, NEW_PROFILE]:
        wanted = _remembered()
        state.profile = wanted if wanted in names else (None if names else NEW_PROFILE)
    st.subheader("Who are you?")
    return st.selectbox(
        "Your profile",
        [*names, NEW_PROFILE],
        index=None,
        key="profile",
        placeholder="Choose your profile",
        label_visibility="collapsed",
    )


def _picked_learner(store: Store, auth: Auth) -> tuple[int, str] | None:
    """Own-machine mode: a profile is picked; this browser remembers the choice (URL and cookie).

    A profile made on a class server has a PIN, and it still asks for it here (a server started
    without --class by mistake opens nobody's progress).
    """
    state = st.session_state
    picked = state.get("picked") or _remembered_learner(store, auth) or _own_first_screen(store, auth)
    if picked is None:
        return None
    state.picked, state.switching = picked, False
    if _remembered_cookie() != picked[1] and state.get("cookie_set") != picked[1]:
        state.cookie_set = picked[1]  # once per choice: the script runs when it renders
        with st.sidebar:
            st.html(remember_cookie_html(COOKIE, picked[1]), unsafe_allow_javascript=True)
    return picked


def _remembered_learner(store: Store, auth: Auth) -> tuple[int, str] | None:
    """The profile this browser chose before, when it still exists and needs no PIN."""
    wanted = _remembered()
    learner_id = store.find_learner(wanted) if wanted else None
    if learner_id is None or (auth.has_pin(learner_id) and restored_sign_in(store) != (learner_id, wanted)):
        return None
    return learner_id, wanted


def _own_first_screen(store: Store, auth: Auth) -> tuple[int, str] | None:
    choice = _profile_box(store.learners())
    if choice == NEW_PROFILE:
        st.text_input(NAME_LABEL, key="new_profile")
        st.button("Create profile", key="create_profile", type="primary", on_click=_create_profile, args=(store,))
        _error("profile_error")
    if choice in (None, NEW_PROFILE):
        if choice is None:
            st.caption("Choose your name in the list, or choose **New profile…** to make one.")
        return None
    learner_id = store.find_learner(choice)
    if learner_id is None:
        return None
    if st.session_state.get("signed_in") != (learner_id, choice) and auth.has_pin(learner_id):
        _pin_form(store, auth)
        _error("profile_error")
        st.caption("This profile has a PIN: type it to open it.")
        return None
    return learner_id, choice


def _class_first_screen(store: Store, auth: Auth) -> None:
    """Class mode: a profile opens only with its PIN; the session remembers who signed in."""
    choice = _profile_box(store.learners())
    if choice == NEW_PROFILE:
        with st.form("new_profile_form"):
            st.text_input(NAME_LABEL, key="new_profile")
            st.text_input("Choose a PIN (4 or more characters)", type="password", key="new_pin")
            st.text_input("The PIN again", type="password", key="new_pin_again")
            st.form_submit_button(
                "Create profile",
                key="create_profile",
                type="primary",
                on_click=_create_class_profile,
                args=(store, auth),
            )
    elif choice is not None:
        _pin_form(store, auth)
    _error("profile_error")
    st.caption(
        "Class mode: choose your name and type your PIN, or choose **New profile…** to make one with a PIN of your own."
    )


def _pin_form(store: Store, auth: Auth) -> None:
    """The PIN field and Sign in button for the profile chosen in the list."""
    with st.form("sign_in_form"):
        st.text_input("PIN", type="password", key="pin")
        st.form_submit_button("Sign in", key="sign_in", type="primary", on_click=_sign_in, args=(store, auth))


def _signed_in_sidebar(learner: tuple[int, str]) -> None:
    """Whose profile this is, and the way out (Sign out in class mode, Switch profile otherwise)."""
    if class_mode() or st.session_state.get("signed_in") == learner:
        st.sidebar.markdown(f"Signed in as **{plain(learner[1])}**")
        st.sidebar.button("Sign out", key="sign_out", on_click=sign_out)
    else:
        st.sidebar.markdown(f"Practising as **{plain(learner[1])}**")
        st.sidebar.button("Switch profile", key="switch_profile", on_click=_switch)


# --- actions -----------------------------------------------------------------------------------


def _create_profile(store: Store) -> None:
    state = st.session_state
    try:
        learner_id = store.create_learner(state.get("new_profile", ""))
    except LearnError as err:
        state.profile_error = str(err)
        return
    name = " ".join(state.get("new_profile", "").split())
    state.profile_error = ""
    state.profile, state.picked = name, (learner_id, name)


def _create_class_profile(store: Store, auth: Auth) -> None:
    state = st.session_state
    try:
        check_new_pin(state.get("new_pin", ""), state.get("new_pin_again", ""))
        learner_id = store.create_learner(state.get("new_profile", ""))
        auth.set_pin(learner_id, state.new_pin)
    except LearnError as err:
        state.profile_error = str(err).replace("that profile already has a PIN", "that name is taken")
        return
    name = " ".join(state.get("new_profile", "").split())
    forget("new_pin", "new_pin_again", "new_profile")
    state.profile_error = ""
    state.signed_in = (learner_id, name)
    keep_trust(learner_subject(learner_id), auth.trust(learner_subject(learner_id)))
    keep_signed_in(store.engine, LEARNER_COOKIE, learner_subject(learner_id))


def _sign_in(store: Store, auth: Auth) -> None:
    state = st.session_state
    name, pin = state.get("profile"), state.get("pin", "")
    forget("pin")
    learner_id = store.find_learner(name) if isinstance(name, str) and name != NEW_PROFILE else None
    if learner_id is None:
        state.profile_error = "Choose your name first."
        return
    subject = learner_subject(learner_id)
    attempt: Attempt = auth.sign_in(learner_id, pin, client=browser(subject))
    state.profile_error = "" if attempt.ok else attempt.message
    if attempt.ok:
        state.signed_in = (learner_id, name)
        keep_trust(subject, attempt.token)
        keep_signed_in(store.engine, LEARNER_COOKIE, subject)


def _switch() -> None:
    """Own machine: back to the first screen, without the remembered profile choosing itself again."""
    state = st.session_state
    for key in ("picked", "profile", "signed_in", "welcomed", "context", "practice", "question", "outcome"):
        state.pop(key, None)
    state.switching = True
    st.query_params.clear()


def sign_out() -> None:
    """Forget everything of this session (a shared class computer is left clean) except the trust
    tokens, which only spare this browser other people's pauses and open nothing by themselves; end
    its sign-in tokens on every server process and drop their cookies."""
    state = st.session_state
    ending = [_cookie(LEARNER_COOKIE), _cookie(TEACHER_COOKIE), *state.get("sign_in_tokens", [])]
    engine = state.get("sign_in_engine")
    for key in list(state.keys()):
        if not str(key).startswith((TRUST_COOKIE, "written:")):
            del state[key]
    st.query_params.clear()
    if engine is not None:
        for token in ending:
            open_sign_ins(engine).end(unquote(token))
    state.cookies_to_write = [(LEARNER_COOKIE, "", 0), (TEACHER_COOKIE, "", 0)]


def forget(*keys: str) -> None:
    """Empty typed secrets (a PIN, a password) so that the form does not keep them."""
    for key in keys:
        st.session_state[key] = ""


def _error(key: str) -> None:
    if st.session_state.get(key):
        st.error(plain(st.session_state[key]))


# --- this browser ------------------------------------------------------------------------------


def browser(subject: str) -> Client:
    """This browser as the sign-in limits see it: its network address and its trust token for `subject`."""
    name = TRUST_COOKIE + subject.replace(":", "_")
    return Client(client_address(), st.session_state.get(name) or _cookie(name))


def keep_trust(subject: str, token: str) -> None:
    """Keep `subject`'s trust token in this session; write_trust_cookies puts it in a cookie."""
    if token:
        st.session_state[TRUST_COOKIE + subject.replace(":", "_")] = token


def write_trust_cookies() -> None:
    """Write the trust tokens of this session that the browser does not hold yet into its cookies,
    and the sign-in cookies a callback asked for (from the script, not a callback, so that the
    cookie script lands in the sidebar)."""
    state = st.session_state
    for name, value, days in state.pop("cookies_to_write", []):
        with st.sidebar:
            st.html(remember_cookie_html(name, value, days), unsafe_allow_javascript=True)
    for name in [k for k in state if str(k).startswith(TRUST_COOKIE)]:
        token = state[name]
        if _cookie(str(name)) == token or state.get(f"written:{name}") == token:
            continue
        state[f"written:{name}"] = token
        with st.sidebar:
            st.html(remember_cookie_html(str(name), token, TRUST_DAYS), unsafe_allow_javascript=True)


def client_address() -> str:
    """The network address of this browser: the connection's, or — when the connection comes from
    this machine, as from a reverse proxy in front of the server — the last address the proxy added
    to X-Forwarded-For (earlier ones are the client's word, and not trusted). '' when unknown."""
    direct = st.context.ip_address
    if isinstance(direct, str) and direct:
        return direct
    forwarded = st.context.headers.get("X-Forwarded-For", "")
    return forwarded.split(",")[-1].strip() if isinstance(forwarded, str) else ""


# --- sign-ins that outlive the session ----------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _sign_ins(url: str, _engine: Engine) -> SignIns:
    return SignIns(_engine)


def open_sign_ins(engine: Engine) -> SignIns:
    """The sign-in tokens kept in the store's database (one per server process and database)."""
    return _sign_ins(engine.url.render_as_string(hide_password=False), engine)


def keep_signed_in(engine: Engine, cookie: str, subject: str) -> None:
    """After a sign-in: a new token, sent to this browser as a cookie that lasts until it closes."""
    state = st.session_state
    token = open_sign_ins(engine).start(subject)
    state.sign_in_engine = engine
    state.sign_in_tokens = [*state.get("sign_in_tokens", []), token]
    state.cookies_to_write = [*state.get("cookies_to_write", []), (cookie, token, None)]


def restored_sign_in(store: Store) -> tuple[int, str] | None:
    """The learner this browser's sign-in cookie still signs in (looked up once per session), or None."""
    state = st.session_state
    token = unquote(_cookie(LEARNER_COOKIE))
    if not token or token in state.get("sign_in_tokens", []):
        return None
    if state.get("sign_in_checked", ("", None))[0] != token:
        state.sign_in_checked = (token, open_sign_ins(store.engine).learner(token))
        state.sign_in_engine = store.engine
    found: tuple[int, str] | None = state.sign_in_checked[1]
    if found is not None:
        state.signed_in = found
    return found


def restored_teacher(engine: Engine, password: str) -> bool:
    """Whether this browser's teacher cookie still opens the teacher's page (looked up once per session)."""
    state = st.session_state
    token = unquote(_cookie(TEACHER_COOKIE))
    if not token or not password or state.get("teacher_checked") == token:
        return False
    state.teacher_checked = token
    state.sign_in_engine = engine
    state.teacher = open_sign_ins(engine).subject(token) == teacher_subject(password)
    return bool(state.teacher)


def keep_teacher_signed_in(engine: Engine, password: str) -> None:
    keep_signed_in(engine, TEACHER_COOKIE, teacher_subject(password))


def end_sign_ins(engine: Engine, subject: str) -> None:
    """End every sign-in of `subject` on every process (a learner given a new PIN)."""
    open_sign_ins(engine).end_all(subject)
