"""The web viewer and SPARQL endpoint of bilateral-kg (`kg serve`)."""
