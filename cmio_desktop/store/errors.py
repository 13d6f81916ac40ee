"""Errors the store raises; each message is written for the user, not the developer."""


class WorkspaceError(Exception):
    """A workspace file could not be created or opened; ``str(err)`` is a user-facing sentence."""


class NotAWorkspaceError(WorkspaceError):
    pass


class NewerWorkspaceError(WorkspaceError):
    pass
