"""Prompt templates, <task>/vN.md. Not code: installed as the data package semx_prompts (see pyproject.toml).

This file makes it a regular package, so importlib.resources gives a plain folder in an installed semx.
"""
