"""Pure rules of the desk: no framework, no I/O."""
