"""The engagement log: dated interactions with people, follow-ups and contact gaps."""
