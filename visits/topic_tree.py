"""The topic tree as plain data: ancestors, descendants and cycles over a map of parents.

Every caller describes the tree the same way, as `parent_of` = {node: its
parent, or None for a root}, where a node is whatever the caller keys topics
by (slugs in the loader, primary keys in the database). The loader checks a
file's topics and the database's with `cycles`, the admin an edit with
`closing_cycle`, the lookup tables take `ancestor_lines`, and the topic
filters `descendants`. No database access here.
"""


def ancestor_lines(parent_of):
    """Return {node: [node, its parent, its grandparent, ...]} for every node of `parent_of`.

    A line stops where it would repeat a node, so a cycle (which the
    writers refuse, but a hand-made SQL change could leave) never loops.
    """
    lines = {}
    for node in parent_of:
        line, current = [], node
        while current is not None and current not in line:
            line.append(current)
            current = parent_of.get(current)
        lines[node] = line
    return lines


def descendants(parent_of, roots):
    """Return the set of `roots` and every node below them."""
    children = {}
    for node, parent in parent_of.items():
        children.setdefault(parent, []).append(node)
    found, frontier = set(), list(roots)
    while frontier:
        node = frontier.pop()
        if node not in found:
            found.add(node)
            frontier.extend(children.get(node, []))
    return found


def cycles(parent_of, nodes):
    """Return the cycles that `nodes` lie on, each once, as [first, ..., first].

    A cycle starts at the first of `nodes` (in their order) that lies on it,
    so that a message about it can point at that node's line.
    """
    found, seen = [], set()
    for node in nodes:
        if node in seen:
            continue
        chain, current = [node], parent_of.get(node)
        while current is not None and current != node and current not in chain:
            chain.append(current)
            current = parent_of.get(current)
        if current == node:
            seen.update(chain)
            found.append([*chain, node])
    return found


def closing_cycle(node, parent, parent_of):
    """Return the cycle [node, parent, ..., node] that making `parent` the parent of `node` would close, or None.

    A cycle elsewhere in the tree that does not pass through `node` is not
    this change's doing and is not reported.
    """
    return next(iter(cycles({**parent_of, node: parent}, [node])), None)
