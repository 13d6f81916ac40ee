"""Parts every page shares: the task runner, the table-model base, the undo-command base,
form dialogs and record tabs."""
