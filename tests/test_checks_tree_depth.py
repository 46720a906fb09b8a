"""The rows a parent adds up are walked deepest first; a garbled table whose rows form a loop
(one line found as the 合计 and as an item) must not stop the checks of its document."""

from __future__ import annotations

from semx.checks.parts import tree_depth


def test_depth_of_a_tree() -> None:
    tree = {0: [1, 4], 1: [2, 3]}
    assert [tree_depth(tree, r) for r in (0, 1, 2)] == [2, 1, 0]


def test_a_loop_ends() -> None:
    tree = {0: [1], 1: [0, 2]}
    assert tree_depth(tree, 0) == 2 and tree_depth(tree, 1) == 2
