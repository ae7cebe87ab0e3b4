"""History search for operators: a window (Ctrl+Shift+F) that finds messages and notes across conversations.

Wiring in the main window (one line; the integrator adds it):

    install_history_search(self, self.api, self.tasks, self.open_conversation)
"""

from omnidesk.client.history.window import HistorySearchWindow, install_history_search

__all__ = ["HistorySearchWindow", "install_history_search"]
