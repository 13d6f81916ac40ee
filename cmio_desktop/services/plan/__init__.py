"""The engagement plan: activities, communications, training, the generator and its settings."""
