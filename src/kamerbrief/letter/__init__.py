"""Reading a letter file (YAML, JSON or TOML, with the line of every field) and validating it."""
