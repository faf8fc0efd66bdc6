"""The procedure meta-schema, loading and validation of procedure documents (no Flask, no DB)."""
