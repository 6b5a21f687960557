"""The layout keeps its promises: short functions, covariance-type branching only in
``gaussmix.covariance``, no import circles, and each layer importing only the layers
below it. These read the source (``ast``), so they guard the house, not behaviour."""

import ast
from pathlib import Path

import pytest

from gaussmix.covariance import COVARIANCE_TYPES

SRC = Path(__file__).resolve().parents[1] / "src" / "gaussmix"
MAX_FUNCTION_LINES = 80

#: What each package may import from gaussmix (eagerly or inside a function).
ALLOWED = {
    "utils": set(),
    "io": {"utils"},
    "covariance": {"utils"},
    "engine": {"covariance", "utils", "io"},
    "init": {"engine", "covariance", "utils"},
    "density": {"covariance", "utils"},
    "variational": {"engine", "covariance", "utils"},
    # the estimators' marginal and condition methods wrap the density tools
    "mixture": {"init", "engine", "covariance", "io", "utils", "variational", "density"},
    # SelectionResult.plot() is a convenience that draws with gaussmix.plot
    "selection": {"mixture", "init", "covariance", "utils", "plot"},
    "compare": {"selection", "mixture", "density", "covariance", "utils"},
    "plot": {"density", "mixture", "covariance", "io", "utils"},
    # one mixture per class, chosen with gaussmix.select
    "classify": {"selection", "mixture", "init", "engine", "covariance", "utils"},
    "report": {"plot", "density", "selection", "mixture", "covariance", "io", "utils"},
}


def _modules():
    """``{dotted module name: (path, parsed tree)}`` for every module of gaussmix."""
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = (path, ast.parse(path.read_text(encoding="utf-8")))
    return out


MODULES = _modules()


def _is_package(name):
    return MODULES[name][0].name == "__init__.py"


def _imports(name, tree):
    """gaussmix modules that ``name`` imports, anywhere in its code."""
    package = name if _is_package(name) else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("gaussmix"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            if not base.startswith("gaussmix"):
                continue
            subs = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES]
            found.update(subs or [base])
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name, tree) for name, (_, tree) in MODULES.items()}


def _layer(name):
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None


def test_no_function_is_longer_than_80_lines():
    long = [f"{path.relative_to(SRC.parent)}:{node.lineno} {node.name} "
            f"({node.end_lineno - node.lineno + 1} lines)"
            for path, tree in MODULES.values() for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, "split these functions:\n" + "\n".join(long)


def _redefined(body):
    """Names a class or module body defines twice (``def``): the later hides the
    earlier, as happens when two branches each add the same method."""
    names = [n.name for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return sorted({n for n in names if names.count(n) > 1})


def test_no_function_or_method_is_defined_twice():
    twice = [f"{path.relative_to(SRC.parent)}:{getattr(node, 'name', '<module>')} {name}"
             for path, tree in MODULES.values()
             for node in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef))]
             for name in _redefined(node.body)]
    assert not twice, "defined twice (the first is dead code):\n" + "\n".join(twice)


def _branches_on_type_names(tree):
    """Line numbers where a covariance type name is compared, used as a dict key, or
    listed with another type name: the signs of switching on the covariance type."""
    names = set(COVARIANCE_TYPES)

    def is_name(node):
        return isinstance(node, ast.Constant) and node.value in names

    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            listed = [e for o in operands if isinstance(o, (ast.Tuple, ast.List, ast.Set))
                      for e in o.elts]
            if any(is_name(o) for o in operands + listed):
                lines.append(node.lineno)
        elif isinstance(node, ast.Dict) and any(k is not None and is_name(k) for k in node.keys):
            lines.append(node.lineno)
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            if sum(is_name(e) for e in node.elts) >= 2:
                lines.append(node.lineno)
    return sorted(set(lines))


def test_covariance_type_branching_lives_only_in_the_covariance_package():
    found = [f"{MODULES[name][0].relative_to(SRC.parent)}:{line}"
             for name, (_, tree) in MODULES.items() if _layer(name) != "covariance"
             for line in _branches_on_type_names(tree)]
    assert not found, ("ask the covariance structure (gaussmix.covariance.get_structure) "
                       "instead of switching on its name:\n" + "\n".join(found))


def test_the_branching_detector_sees_branches():
    tree = ast.parse('if t == "tied": pass\nx = {"full": 1}\ny = ("diag", "spherical")\n'
                     'z = t in ("full", "tied")\nok = f(covariance_type="full")\n')
    assert _branches_on_type_names(tree) == [1, 2, 3, 4]


def _cycle():
    """One import cycle among gaussmix's modules, or None (depth-first search)."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(GRAPH):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_cycles():
    cycle = _cycle()
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layers_import_only_the_layers_below(layer):
    wrong = sorted(f"{name} imports {dep}" for name in GRAPH if _layer(name) == layer
                   for dep in GRAPH[name]
                   if _layer(dep) not in ALLOWED[layer] | {layer} and _layer(dep) is not None)
    assert not wrong, "\n".join(wrong)


def test_the_import_graph_sees_relative_and_lazy_imports():
    assert "gaussmix.engine.stats" in GRAPH["gaussmix.engine.collect"] \
        or "gaussmix.engine.estep" in GRAPH["gaussmix.engine.collect"]
    assert "gaussmix.covariance" in GRAPH["gaussmix.engine.params"]
    assert any(_layer(d) == "plot" for d in GRAPH["gaussmix.selection.result"])  # lazy
