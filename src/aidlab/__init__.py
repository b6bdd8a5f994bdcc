"""aidlab."""
