"""The quiz: questions, answer checking, distractors, FSRS scheduling and progress storage.

Everything here except `app` is UI-free; `app` is the Streamlit page (run by `learn quiz`
and by the top-level app.py).
"""
