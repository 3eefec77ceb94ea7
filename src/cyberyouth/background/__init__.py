"""Background work: the worker's heartbeat, and what becomes of work a dead worker left."""
