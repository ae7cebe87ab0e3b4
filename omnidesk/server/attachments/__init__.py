"""Attachments: files customers send and operators attach, stored once by content, served only to those who may see."""
