"""Awards models: organisations, cycles, applications (see the modules imported below)."""
