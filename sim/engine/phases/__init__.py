"""The phases of a round, one module each, in the order `ConflictModel.step` plays them (docs/MODEL.md):
events, negotiation, signing, escalation, coercion, patrons, threats, resolution, accords, economy,
adaptation, stop. Each is a set of functions on the structure, the live state and the derived caches; the
kernels they call are in `sim.kernels`."""
