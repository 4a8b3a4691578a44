"""The calendar skill: events and reminders in plain words, iCalendar import and export, the agenda."""
