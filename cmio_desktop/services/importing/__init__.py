"""Imports: the dry run, the all-or-nothing commit and its undo, per kind of file."""
