"""Eval harness: gold data, metrics and side-by-side comparison of prompt versions."""
