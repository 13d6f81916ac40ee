"""What the pages share: the undo-command base (more shared pieces join it here)."""
