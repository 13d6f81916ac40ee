"""Parts every page shares: the task runner, the table-model base, form dialogs, record tabs."""
