"""The drawing of the engine's import graph (tools/import_graph.py)."""
from tools.import_graph import BEGIN, END, against, layers, mermaid, reduced, rewrite_readme


def test_an_arrow_a_longer_path_implies_is_left_out():
    assert reduced({("facade", "runtime"), ("runtime", "storage"), ("facade", "storage")}) == {
        ("facade", "runtime"), ("runtime", "storage")}


def test_an_arrow_up_the_layers_or_between_independent_siblings_is_flagged():
    stack = [({"facade"}, True), ({"requests", "letters"}, True), ({"worker", "services"}, False),
             ({"storage"}, True)]
    edges = {("facade", "requests"), ("storage", "requests"), ("requests", "letters"),
             ("worker", "services"), ("settings", "storage")}
    assert against(edges, stack) == {("storage", "requests"), ("requests", "letters")}


def test_the_layers_are_those_of_the_import_linter_contract():
    stack = layers()
    # demo seeding is start-up code driving the facade, so it sits above it
    assert stack[0] == ({"demo"}, True)
    assert stack[1] == ({"facade"}, True)
    assert stack[-1] == ({"storage"}, True)
    assert [n for names, _ in stack for n in names].index("runtime") < \
        [n for names, _ in stack for n in names].index("definitions")


def test_the_readme_block_is_replaced_between_its_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{BEGIN}\nold\n{END}\nafter\n")
    diagram = mermaid({("facade", "storage")}, {("storage", "facade")})
    assert rewrite_readme(readme, diagram)
    text = readme.read_text()
    assert text.startswith("before\n") and text.endswith(f"{END}\nafter\n")
    assert "facade --> storage" in text and "storage -. against the layers .-> facade" in text
    assert not rewrite_readme(readme, diagram)
