"""Tests of the pure analysis package (mirrors analysis/)."""
