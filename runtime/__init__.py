"""What every stage runs on: settings, progress and worker processes; imports nothing of the project."""
