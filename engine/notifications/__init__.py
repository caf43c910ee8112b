"""Notifications in the app and by e-mail, reminders before a standard runs out."""
