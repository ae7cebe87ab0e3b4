"""The audit log: who read or changed what, when and from where (records written in the caller's transaction)."""
