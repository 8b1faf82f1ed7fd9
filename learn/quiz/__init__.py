"""The quiz: questions, answer checking, distractors, FSRS scheduling, progress storage, PINs and
sign-in limits (auth), and the class-wide view for the teacher (teacher).

Everything here except `app` is UI-free; `app` is the Streamlit page (run by `learn quiz`
and by the top-level app.py).
"""
