"""Signal receivers of the jurisdictions app are registered in ready()."""
