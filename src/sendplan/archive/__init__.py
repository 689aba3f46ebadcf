"""The archive site (SPEC §10): every month as the board saw it, every objective's story."""
