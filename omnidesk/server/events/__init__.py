"""The event log: events appended in the change's transaction, numbered by the sequencer, streamed over SSE."""
