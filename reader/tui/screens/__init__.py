"""The interface's screens: the Library, the Article view and the lists and pages the
app pushes over them (each handed the data it shows)."""
