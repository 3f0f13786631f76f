"""Duplicate and impersonator detection. Pure: takes records or keys, returns matches."""
