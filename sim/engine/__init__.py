"""The model's engine, below the Mesa model (`sim.model`): the scenario's fixed structure (`structure`), the
live state (`state`), the derived caches and queries (`derived`), the event bindings (`bindings`), the event
log and its vocabulary (`log`), the rows of rounds.csv (`recording`), the model's read surface (`views`),
and the phases of a round (`phases`). Imports point downward: phases -> derived -> state -> structure."""
