"""Streamlit entry point: `streamlit run app.py [-- PATH...]` from the repository.

The page itself ships inside the package (learn/quiz/app.py) so that `learn quiz` also works
from an installed copy; this file only runs it.
"""

from learn.quiz.app import main

main()
