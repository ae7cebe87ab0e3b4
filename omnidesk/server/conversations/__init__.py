"""Conversations and their messages: the inbox, the history, replies, status and assignment."""
