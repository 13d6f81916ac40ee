"""The stakeholder register: fields, reading, edits and the round-trip export."""
