"""Storage: the repository interface, the SQLite backend, migrations, export and erase."""
