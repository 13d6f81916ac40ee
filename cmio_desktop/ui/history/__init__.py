"""History you can see, workspace-wide: the activity window and its filters."""
